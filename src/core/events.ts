/**
 * What the engine tells its listeners. Every event is plain data (it survives structuredClone,
 * so the same union can cross a BroadcastChannel or a websocket) and says which module it is
 * about; a listener keeps its own picture by applying events in order (see src/store/bridge.ts).
 */
import type { SerializedError } from '../shared/errors';
import type { OutputStream } from '../shared/protocol';
import type { CheckpointEntry } from './checkpoints';
import type { EngineConfig } from './config';
import type { DeploymentStatus, InstanceView, TrafficPoint } from './deploy/types';
import type { UpdateRecord, UpdateStep, UpdateTrigger } from './history';
import type { InstanceState, ModuleInfo } from './instance';
import type { CallStats } from './stats';
import type { VersionInfo } from './versions';

export type ModuleState = 'loading' | InstanceState;

/** One module's status. */
export interface ModuleStatus extends CallStats {
  name: string;
  state: ModuleState;
  version: string | null;
  apiVersion: string | null;
  sha256: string | null;
  /** When the serving version went live (ms since epoch). */
  lastUpdate: number | null;
  /** The latest incident or update of this module, in words, and when it happened (ms since epoch). */
  message: string | null;
  messageAt: number | null;
  /** When the latest state checkpoint of the serving version was taken (ms since epoch). */
  checkpointAt: number | null;
  /** The update step running now, or null. */
  updating: UpdateStep | null;
  /** Instances serving. */
  instances: number;
  /** What has kept the serving version busy for over a second ("The call to spin"), and since when (ms since epoch); null otherwise. */
  busy: string | null;
  busySince: number | null;
}

/** A checkpoint as events and `checkpoints()` describe it (the state bytes stay in the engine). */
export type CheckpointInfo = Omit<CheckpointEntry, 'state'>;

/** Where an error came from: an engine action (`state`: reading or giving state by hand, see ./state.ts). */
export type ErrorAction = 'load' | 'call' | 'run' | 'save' | 'state';

export type EngineEvent =
  /** A module's status changed (call statistics: at most every 200 ms). */
  | { type: 'status'; module: string; status: ModuleStatus }
  /** A version went into service: a first load, an update, or a rollback (`replaced`), and what brought it. */
  | { type: 'loaded'; module: string; info: ModuleInfo; replaced: boolean; trigger: UpdateTrigger }
  | { type: 'unloaded'; module: string }
  /** The module calls go to by default changed. */
  | { type: 'active'; module: string | null }
  /** The whole history changed (records of earlier sessions were brought back): newest first. */
  | { type: 'history'; records: UpdateRecord[] }
  /** An update (or refused load) ended: its record. */
  | { type: 'update'; module: string; record: UpdateRecord }
  /** A module's versions kept for rollback changed. */
  | { type: 'versions'; module: string; versions: VersionInfo[] }
  | { type: 'checkpoint'; module: string; checkpoint: CheckpointInfo }
  /** The module's checkpoints were dropped: the version serving now has no save_state, so none of them may be restored into it. */
  | { type: 'checkpoints-cleared'; module: string }
  /** Settings changed (the engine-wide ones), or auto reload was paused. */
  | { type: 'config'; config: EngineConfig; autoReloadPaused: string | null }
  | { type: 'output'; module: string; stream: OutputStream; text: string }
  /** Every write refused for want of room (storage full) has now been saved. */
  | { type: 'saved'; at: number }
  /** An action failed (`at`: when, ms since epoch); `module` is null when it failed before a module was named. */
  | { type: 'error'; module: string | null; action: ErrorAction; error: SerializedError; at: number }
  /** A deployment started, moved on, or ended (see ./deploy/types.ts). */
  | { type: 'deployment'; module: string; status: DeploymentStatus }
  /** A module's pool: its instances, and calls per second per version (at most twice a second). */
  | { type: 'pool'; module: string; instances: InstanceView[]; traffic: TrafficPoint[] };

export type EngineEventType = EngineEvent['type'];
