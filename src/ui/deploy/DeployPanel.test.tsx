// @vitest-environment happy-dom
/**
 * The Deploy panel as people use it: rendered from a store state with a stand-in engine, read
 * back by role and text, and driven as a user would (the number field, the selects, the buttons).
 */
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type DeploymentStatus, type Engine, type InstanceView, type ModuleInfo, type ModuleStatus, type VersionInfo, createAppStore } from '../../store';
import { AppProvider } from '../common/context';
import { DeployPanel } from './DeployPanel';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const info = { name: 'counter', source: 'counter.wasm', size: 1207, sha256: 'a'.repeat(64), version: 'v1' } as ModuleInfo;
const status = { name: 'counter', state: 'healthy', version: 'v1', calls: 3, errors: 0, p50Ms: 0.1, p99Ms: 0.2 } as ModuleStatus;
const version = (label: string): VersionInfo => ({ version: label, sha256: label.repeat(32).slice(0, 64), source: 'counter.wasm', size: 1207, apiVersion: '1.0.0', trigger: 'load', createdAt: 1, servedAt: 1, pinned: false, tag: null, imports: [], exports: [] });
const instance = (id: string, v: string, share: number): InstanceView => ({ id, version: v, state: 'healthy', stateBytes: 2048, calls: 40, errors: 1, p50Ms: 0.1, p99Ms: 0.5, share });
const canary: DeploymentStatus = {
  id: 3,
  module: 'counter',
  strategy: { kind: 'canary', traffic_percentage: 10 },
  from: 'v1',
  to: 'v2',
  phase: 'canary',
  outcome: null,
  reason: null,
  startedAt: 1_700_000_000_000,
  endedAt: null,
  traffic: [
    { version: 'v1', share: 0.9, instances: 2 },
    { version: 'v2', share: 0.1, instances: 1 },
  ],
  decisions: [
    { at: 1_700_000_000_000, text: 'Staged v2 on #3 with the state of #1' },
    { at: 1_700_000_001_000, text: '#3 takes 10% of calls' },
  ],
  canary: { canary: { version: 'v2', calls: 20, errors: 1, p99Ms: 0.8 }, baseline: { version: 'v1', calls: 180, errors: 0, p99Ms: 0.5 }, since: 1_700_000_001_000 },
  shadow: null,
};

function setup() {
  const store = createAppStore();
  const s = store.getState();
  s.modules.apply({ type: 'loaded', module: 'counter', info, replaced: false, trigger: 'load' });
  s.modules.apply({ type: 'active', module: 'counter' });
  s.modules.apply({ type: 'status', module: 'counter', status });
  s.modules.apply({ type: 'versions', module: 'counter', versions: [version('v1'), version('v2')] });
  const handle = { promote: vi.fn(), abort: vi.fn() };
  const bytes = new Uint8Array([0, 97, 115, 109]);
  const download = vi.fn(async () => bytes);
  const engine = {
    scale: vi.fn(async (_name: string, n: number) => Array.from({ length: n }, (_, i) => instance(`#${i + 1}`, 'v1', 1 / n))),
    deploy: vi.fn(async () => handle),
    deployment: vi.fn(() => handle),
    module: () => ({ download }),
  };
  const host = document.createElement('div');
  document.body.replaceChildren(host);
  const root = createRoot(host);
  act(() =>
    root.render(
      <AppProvider engine={engine as unknown as Engine} store={store}>
        <DeployPanel />
      </AppProvider>,
    ),
  );
  const panel = () => document.querySelector('section[aria-label="Deploy"]')!;
  const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
  const rows = () => Array.from(panel().querySelectorAll('.pool-table tbody tr'), (tr) => Array.from(tr.children, text));
  const control = (label: string) => {
    const l = Array.from(panel().querySelectorAll('label')).find((x) => x.textContent === label);
    return l ? (document.getElementById(l.htmlFor) as HTMLInputElement | HTMLSelectElement) : null;
  };
  const button = (name: string) => Array.from(panel().querySelectorAll('button')).find((b) => b.textContent === name) as HTMLButtonElement | undefined;
  const type = (el: HTMLInputElement | HTMLSelectElement, value: string) =>
    act(() => {
      const proto = el instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
      Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(el, value);
      el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
    });
  const click = async (el: HTMLElement) => act(async () => el.click());
  return { store, engine, handle, download, bytes, root, panel, text, rows, control, button, type, click };
}

let unmount: (() => void) | null = null;
afterEach(() => {
  unmount?.();
  unmount = null;
});

describe('the Deploy panel', () => {
  it('before any pool word, shows the serving instance the status describes', () => {
    const view = setup();
    unmount = () => view.root.unmount();
    expect(view.rows()).toEqual([['#1', 'v1', 'healthy', '—', '3', '0', '0.10 ms', '0.20 ms', '100%']]);
  });

  it('is compact for one instance and no deployment: the pool, Scale, the deploy form', () => {
    const view = setup();
    unmount = () => view.root.unmount();
    act(() => view.store.getState().deploy.apply({ type: 'pool', module: 'counter', instances: [instance('#1', 'v1', 1)], traffic: [] }));
    expect(Array.from(view.panel().querySelectorAll('.pool-table thead th'), view.text)).toEqual(['Instance', 'Version', 'State', 'State size', 'Calls', 'Errors', 'p50', 'p99', 'Share']);
    expect(view.rows()).toEqual([['#1', 'v1', 'healthy', '2.0 KiB', '40', '1', '0.10 ms', '0.50 ms', '100%']]);
    expect(view.control('Instances')!.value).toBe('1');
    expect(view.button('Scale')).toBeDefined();
    expect(view.control('Strategy')!.value).toBe('blue-green');
    expect(view.control('Wait for promote')).not.toBeNull();
    // The newest build that is not serving is offered first.
    expect(view.control('Build')!.value).toBe('v2');
    expect(view.control('Build file')!.type).toBe('file');
    expect(view.panel().querySelector('[aria-label="Decisions"]')).toBeNull();
    expect(view.panel().querySelector('[role="img"]')).toBeNull();
    expect(view.button('Promote')).toBeUndefined();
  });

  it('shows the running deployment: its words, decisions, canary numbers, the chart; Promote and Abort act on it', async () => {
    const view = setup();
    unmount = () => view.root.unmount();
    act(() => {
      const { deploy } = view.store.getState();
      deploy.apply({ type: 'pool', module: 'counter', instances: [instance('#1', 'v1', 0.45), instance('#2', 'v1', 0.45), instance('#3', 'v2', 0.1)], traffic: [{ at: 1_700_000_001_000, version: 'v1', calls: 120, errors: 0, p99Ms: 0.5 }, { at: 1_700_000_001_000, version: 'v2', calls: 12, errors: 0, p99Ms: 0.8 }] });
      deploy.apply({ type: 'deployment', module: 'counter', status: canary });
    });
    expect(view.rows().map((r) => [r[0], r[1], r[8]])).toEqual([['#1', 'v1', '45%'], ['#2', 'v1', '45%'], ['#3', 'v2', '10%']]);
    const facts = Object.fromEntries(Array.from(view.panel().querySelectorAll('.deployment-facts > div'), (d) => [view.text(d.querySelector('dt')), view.text(d.querySelector('dd'))]));
    expect(facts).toMatchObject({ Strategy: 'Canary, 10% of calls', 'From → to': 'v1 → v2', Phase: 'canary', Traffic: 'v1 90% (2 instances), v2 10% (1 instance)' });
    const decisions = Array.from(view.panel().querySelectorAll('ol[aria-label="Decisions"] li'), view.text);
    expect(decisions).toHaveLength(2);
    expect(decisions[1]).toMatch(/#3 takes 10% of calls$/);
    const canaryRows = Array.from(view.panel().querySelectorAll('.canary-table tbody tr'), (tr) => Array.from(tr.children, view.text));
    expect(canaryRows).toEqual([['Canary', 'v2', '20', '1', '5%', '0.80 ms'], ['Baseline', 'v1', '180', '0', '0%', '0.50 ms']]);
    expect(view.panel().querySelector('[role="img"]')!.getAttribute('aria-label')).toMatch(/^Calls per second by version: v1 120\/s, v2 12\/s;/);
    expect(view.button('Deploy')!.disabled).toBe(true); // one at a time
    await view.click(view.button('Promote')!);
    expect(view.engine.deployment).toHaveBeenCalledWith('counter');
    expect(view.handle.promote).toHaveBeenCalledOnce();
    await view.click(view.button('Abort')!);
    expect(view.handle.abort).toHaveBeenCalledOnce();
    // Once it ended, nothing is left to promote or abort.
    act(() => view.store.getState().deploy.apply({ type: 'deployment', module: 'counter', status: { ...canary, phase: 'done', outcome: 'aborted', reason: 'aborted by hand', endedAt: 1_700_000_002_000 } }));
    expect(view.button('Promote')!.disabled).toBe(true);
    expect(view.button('Abort')!.disabled).toBe(true);
    expect(view.text(view.panel().querySelector('.deployment-header h3'))).toBe('Latest deployment #3');
  });

  it('lists a shadow\'s divergences', () => {
    const view = setup();
    unmount = () => view.root.unmount();
    const shadow: DeploymentStatus = { ...canary, strategy: { kind: 'shadow', sample: 1 }, phase: 'shadowing', canary: null, shadow: { mirrored: 10, matched: 9, timedOut: 0, divergences: [{ at: 1_700_000_001_000, fn: 'get', arg: '3', kind: 'result', serving: '4', candidate: '5' }] } };
    act(() => view.store.getState().deploy.apply({ type: 'deployment', module: 'counter', status: shadow }));
    expect(Array.from(view.panel().querySelectorAll('ul[aria-label="Divergences"] li code'), view.text)).toEqual(['get(3): result — serving 4, candidate 5']);
  });

  it('scales, and says in the panel why the engine refused', async () => {
    const view = setup();
    unmount = () => view.root.unmount();
    view.type(view.control('Instances')!, '3');
    await view.click(view.button('Scale')!);
    expect(view.engine.scale).toHaveBeenCalledWith('counter', 3);
    view.engine.scale.mockRejectedValueOnce(new Error('at most 16 instances'));
    await view.click(view.button('Scale')!);
    expect(view.text(view.panel().querySelector('[role="alert"]'))).toBe('at most 16 instances');
    view.type(view.control('Instances')!, '17');
    expect(view.button('Scale')!.disabled).toBe(true);
  });

  it('deploys a kept build with the chosen strategy and its settings', async () => {
    const view = setup();
    unmount = () => view.root.unmount();
    view.type(view.control('Strategy')!, 'canary');
    view.type(view.control('Traffic %')!, '25');
    view.type(view.control('Build')!, 'v1');
    await view.click(view.button('Deploy')!);
    expect(view.download).toHaveBeenCalledWith('v1');
    expect(view.engine.deploy).toHaveBeenCalledWith(view.bytes, { name: 'counter', strategy: { kind: 'canary', traffic_percentage: 25 } });
    view.type(view.control('Traffic %')!, '0');
    expect(view.text(view.panel().querySelector('.deploy-form .field-error'))).toBe('Traffic % must be between 1 and 100');
    expect(view.button('Deploy')!.disabled).toBe(true);
  });
});
