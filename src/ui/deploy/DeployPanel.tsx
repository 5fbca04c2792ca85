/**
 * Deploy: the active module's pool and how a new build replaces it (docs/strategies.md). The pool
 * table, Scale, and the deploy form; once a deployment ran or the pool has grown, the deployment
 * (running or the latest) and the pool's traffic of the latest minute too. A refused action is
 * said here, in the panel, until the next one.
 */
import { useCallback, useState } from 'react';
import { type InstanceView, type ModuleStatus, type Strategy, type TrafficPoint, selectDeploy, selectModuleName, selectNoticeActions, selectStatus, selectVersions } from '../../store';
import { useAppStore, useEngine } from '../common/context';
import { formatError } from '../common/format';
import { type DeploySource, DeployForm } from './DeployForm';
import { describeStrategy } from './deploy-words';
import { DeploymentView } from './DeploymentView';
import { PoolTable } from './PoolTable';
import { ScaleControl } from './ScaleControl';
import { TrafficChart } from './TrafficChart';
import './deploy.css';

const NO_INSTANCES: readonly InstanceView[] = [];
const NO_TRAFFIC: readonly TrafficPoint[] = [];

/** Before the engine's first word on the pool: the one instance the status describes. */
function fromStatus(status: ModuleStatus | null): readonly InstanceView[] {
  if (!status?.version || (status.state !== 'healthy' && status.state !== 'restarting' && status.state !== 'failed')) return NO_INSTANCES;
  return [{ id: '#1', version: status.version, state: status.state, stateBytes: null, calls: status.calls, errors: status.errors, p50Ms: status.p50Ms, p99Ms: status.p99Ms, share: 1 }];
}

export function DeployPanel() {
  const name = useAppStore(selectModuleName);
  return (
    <section className="panel deploy-panel" aria-label="Deploy">
      <div className="panel-header">
        <h2>Deploy</h2>
        {name !== null && <span className="muted panel-context">{name}</span>}
      </div>
      {/* Keyed by module: a refusal shown for one module is not shown for the next. */}
      {name === null ? <p className="empty">No module loaded.</p> : <DeployContents key={name} name={name} />}
    </section>
  );
}

function DeployContents({ name }: { name: string }) {
  const engine = useEngine();
  const deploy = useAppStore(selectDeploy);
  // The status only until the engine's first word on the pool, and the version serving: the
  // call counts a status brings every 200 ms while calls run redraw nothing here.
  const hasPool = deploy !== null && deploy.instances.length > 0;
  const status = useAppStore((s) => (hasPool ? null : selectStatus(s)));
  const serving = useAppStore((s) => selectStatus(s)?.version ?? null);
  const versions = useAppStore(selectVersions);
  const notices = useAppStore(selectNoticeActions);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  /** Run an engine action; what went wrong is shown in the panel. */
  const act = useCallback(async (work: () => unknown) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (thrown) {
      setError(formatError(thrown));
    } finally {
      setBusy(false);
    }
  }, []);

  // Stable callbacks: the pool event comes twice a second, and the form and the deployment need not render again for it.
  const scale = useCallback(
    (n: number) =>
      void act(async () => {
        const pool = await engine.scale(name, n);
        notices.announce(`${name} runs ${pool.length} ${pool.length === 1 ? 'instance' : 'instances'} now`);
      }),
    [act, engine, name, notices],
  );
  const start = useCallback(
    (source: DeploySource, strategy: Strategy) =>
      void act(async () => {
        const bytes = 'file' in source ? source.file : await engine.module(name).download(source.version);
        await engine.deploy(bytes, { name, strategy });
        notices.announce(`Deploying ${'file' in source ? source.file.name : source.version} to ${name}: ${describeStrategy(strategy)}`);
      }),
    [act, engine, name, notices],
  );
  const current = useCallback(() => {
    const handle = engine.deployment(name);
    if (!handle) throw new Error(`No deployment of ${name} is running`);
    return handle;
  }, [engine, name]);
  const promote = useCallback(() => void act(() => current().promote()), [act, current]);
  const abort = useCallback(() => void act(() => current().abort()), [act, current]);

  const instances = hasPool ? deploy.instances : fromStatus(status);
  const deployment = deploy?.deployment ?? null;
  const running = deployment !== null && deployment.outcome === null;
  const compact = instances.length <= 1 && deployment === null;
  return (
    <>
      <PoolTable module={name} instances={instances} />
      <ScaleControl current={Math.max(1, instances.length)} busy={busy} onScale={scale} />
      {error && (
        <p role="alert" className="field-error deploy-error">
          {error}
        </p>
      )}
      {!compact && deployment && <DeploymentView status={deployment} busy={busy} onPromote={promote} onAbort={abort} />}
      {!compact && <TrafficChart traffic={deploy?.traffic ?? NO_TRAFFIC} />}
      <h3>New deployment</h3>
      <DeployForm module={name} versions={versions} serving={serving} running={running} busy={busy} onDeploy={start} />
    </>
  );
}
