/**
 * Deploy slice: each module's pool (its instances, and calls per second per version) and its
 * latest deployment, for the Deploy panel (docs/strategies.md). A reducer over engine events
 * ({@link reduceDeploy}), like the checkpoints slice: the bridge applies every event to it.
 */
import type { StateCreator } from 'zustand/vanilla';
import type { EngineEvent } from '../core';
import type { DeploymentStatus, InstanceView, TrafficPoint } from '../core/deploy/types';
import type { AppState } from './app-store';

/** Seconds of traffic kept per module: the chart's window. */
export const TRAFFIC_SECONDS = 60;

export interface ModuleDeploy {
  /** The deployment running now, else the latest one that ended; null when none ever ran. */
  deployment: DeploymentStatus | null;
  instances: readonly InstanceView[];
  /** Oldest first, at most {@link TRAFFIC_SECONDS} distinct seconds, one point per second per version. */
  traffic: readonly TrafficPoint[];
}

export interface DeployData {
  byModule: Readonly<Record<string, ModuleDeploy>>;
}

const empty = (): ModuleDeploy => ({ deployment: null, instances: [], traffic: [] });

function patch(data: DeployData, name: string, change: (entry: ModuleDeploy) => ModuleDeploy): DeployData {
  const before = data.byModule[name] ?? empty();
  const after = change(before);
  return after === before ? data : { byModule: { ...data.byModule, [name]: after } };
}

/**
 * `kept` with `fresh` on top: a point of the same second and version is replaced (the engine
 * may send a second again as it fills), and only the latest {@link TRAFFIC_SECONDS} seconds stay.
 * Whether an event carries the whole window or only its newest seconds, the result is the same.
 */
export function mergeTraffic(kept: readonly TrafficPoint[], fresh: readonly TrafficPoint[]): readonly TrafficPoint[] {
  if (fresh.length === 0) return kept;
  const byKey = new Map<string, TrafficPoint>();
  for (const point of kept) byKey.set(`${point.at}\u0000${point.version}`, point);
  for (const point of fresh) byKey.set(`${point.at}\u0000${point.version}`, point);
  const seconds = [...new Set(Array.from(byKey.values(), (p) => p.at))].sort((a, b) => a - b);
  const from = seconds[Math.max(0, seconds.length - TRAFFIC_SECONDS)]!;
  return [...byKey.values()].filter((p) => p.at >= from).sort((a, b) => a.at - b.at || (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
}

/** Apply one engine event. Pure: answers `data` itself when nothing changes. */
export function reduceDeploy(data: DeployData, event: EngineEvent): DeployData {
  switch (event.type) {
    case 'deployment':
      return patch(data, event.module, (entry) => {
        // A late word from an earlier deployment never hides the one after it.
        if (entry.deployment && entry.deployment.id > event.status.id) return entry;
        return { ...entry, deployment: event.status };
      });
    case 'pool':
      return patch(data, event.module, (entry) => ({ ...entry, instances: event.instances, traffic: mergeTraffic(entry.traffic, event.traffic) }));
    case 'unloaded': {
      if (!(event.module in data.byModule)) return data;
      const { [event.module]: _gone, ...byModule } = data.byModule;
      return { byModule };
    }
    default:
      return data;
  }
}

/** What the engine holds for a module when the bridge connects. */
export interface DeploySnapshot {
  instances: readonly InstanceView[];
  deployment: DeploymentStatus | null;
}

export interface DeploySlice {
  deploy: DeployData & {
    apply(event: EngineEvent): void;
    /** Start from the engine's pools and deployments (the bridge, when it connects). */
    reset(byModule: Record<string, DeploySnapshot>): void;
  };
}

export const createDeploySlice: StateCreator<AppState, [], [], DeploySlice> = (set) => ({
  deploy: {
    byModule: {},
    apply: (event) =>
      set((state) => {
        const current = { byModule: state.deploy.byModule };
        const next = reduceDeploy(current, event);
        return next === current ? state : { deploy: { ...state.deploy, ...next } };
      }),
    reset: (byModule) =>
      set((state) => {
        const entries = Object.entries(byModule).map(([name, { instances, deployment }]) => [name, { ...empty(), instances, deployment }] as const);
        return { deploy: { ...state.deploy, byModule: Object.fromEntries(entries) } };
      }),
  },
});
