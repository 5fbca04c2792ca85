/**
 * Deploy: the active module's pool and how a new build replaces it (docs/strategies.md). The pool
 * table, Scale, and the deploy form; once a deployment ran or the pool has grown, the deployment
 * (running or the latest) and the pool's traffic of the latest minute too. A refused action is
 * said here, in the panel, until the next one.
 */
import { useState } from 'react';
import { type InstanceView, type ModuleStatus, type Strategy, selectDeploy, selectModuleName, selectNoticeActions, selectStatus, selectVersions } from '../../store';
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

/** Before the engine's first word on the pool: the one instance the status describes. */
function fromStatus(status: ModuleStatus | null): readonly InstanceView[] {
  if (!status?.version || (status.state !== 'healthy' && status.state !== 'restarting' && status.state !== 'failed')) return NO_INSTANCES;
  return [{ id: '#1', version: status.version, state: status.state, stateBytes: null, calls: status.calls, errors: status.errors, p50Ms: status.p50Ms, p99Ms: status.p99Ms, share: 1 }];
}

export function DeployPanel() {
  const engine = useEngine();
  const name = useAppStore(selectModuleName);
  const deploy = useAppStore(selectDeploy);
  const status = useAppStore(selectStatus);
  const versions = useAppStore(selectVersions);
  const notices = useAppStore(selectNoticeActions);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ module: string; text: string } | null>(null);

  if (name === null) {
    return (
      <section className="panel" aria-label="Deploy">
        <div className="panel-header">
          <h2>Deploy</h2>
        </div>
        <p className="empty">No module loaded.</p>
      </section>
    );
  }

  const instances = deploy && deploy.instances.length > 0 ? deploy.instances : fromStatus(status);
  const deployment = deploy?.deployment ?? null;
  const running = deployment !== null && deployment.outcome === null;
  const compact = instances.length <= 1 && deployment === null;

  /** Run an engine action; what went wrong is shown in the panel. */
  const act = async (work: () => unknown) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (thrown) {
      setError({ module: name, text: formatError(thrown) });
    } finally {
      setBusy(false);
    }
  };

  const scale = (n: number) =>
    act(async () => {
      const pool = await engine.scale(name, n);
      notices.announce(`${name} runs ${pool.length} ${pool.length === 1 ? 'instance' : 'instances'} now`);
    });

  const start = (source: DeploySource, strategy: Strategy) =>
    act(async () => {
      const bytes = 'file' in source ? source.file : await engine.module(name).download(source.version);
      await engine.deploy(bytes, { name, strategy });
      notices.announce(`Deploying ${'file' in source ? source.file.name : source.version} to ${name}: ${describeStrategy(strategy)}`);
    });

  const current = () => {
    const handle = engine.deployment(name);
    if (!handle) throw new Error(`No deployment of ${name} is running`);
    return handle;
  };
  const promote = () => act(() => current().promote());
  const abort = () => act(() => current().abort());

  const shownError = error?.module === name ? error.text : null;
  return (
    <section className="panel deploy-panel" aria-label="Deploy">
      <div className="panel-header">
        <h2>Deploy</h2>
        <span className="muted panel-context">{name}</span>
      </div>
      <PoolTable module={name} instances={instances} />
      <ScaleControl current={Math.max(1, instances.length)} busy={busy} onScale={(n) => void scale(n)} />
      {shownError && (
        <p role="alert" className="field-error deploy-error">
          {shownError}
        </p>
      )}
      {!compact && deployment && <DeploymentView status={deployment} busy={busy} onPromote={() => void promote()} onAbort={() => void abort()} />}
      {!compact && <TrafficChart traffic={deploy?.traffic ?? []} />}
      <h3>New deployment</h3>
      <DeployForm module={name} versions={versions} serving={status?.version ?? null} running={running} busy={busy} onDeploy={(source, strategy) => void start(source, strategy)} />
    </section>
  );
}
