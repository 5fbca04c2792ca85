/**
 * The engine's public shape: `createEngine()` answers an {@link Engine}; `engine.module(name)`
 * a {@link ModuleHandle}. The engine's own methods (`call`, `rollback`, `status`, …) are
 * shortcuts for the active module, so `window.hotwasm.call('increment', 1)` keeps working.
 */
import type { CallSample } from './call-trace';
import type { ModuleLayoutInfo } from '../shared/inspect';
import type { MeasureResult, RawValue, RunResult, Settled } from '../shared/protocol';
import type { Clock } from './clock';
import type { ConfigStorage, EngineConfig } from './config';
import type { Deployment, DeployOptions, InstanceView } from './deploy/types';
import type { CheckpointInfo, EngineEvent, ModuleState, ModuleStatus } from './events';
import type { UpdateRecord } from './history';
import type { ModuleInfo, Resumed, TimedResult } from './instance';
import type { Registry } from './registry';
import type { RestoreOptions, RestoreReport } from './restore';
import type { ImportReport } from '../registry/transfer';
import type { PruneReport } from './persistence';
import type { WorkerLike } from './rpc';
import type { ModuleSource } from './sources';
import type { SparePolicy } from './spares';
import type { CheckpointRef, InjectOptions, StateProbe } from './state';
import type { VersionInfo } from './versions';

export type EngineState = 'empty' | ModuleState;

/** The active module's status, and what holds for the whole engine. */
export interface EngineStatus extends Omit<ModuleStatus, 'name' | 'state'> {
  state: EngineState;
  name: string | null;
  /** Names of every loaded module. */
  modules: string[];
  /** Auto reload is on (config.enabled). */
  autoReload: boolean;
  /** Why auto reload was paused, until the user turns it back on. */
  autoReloadPaused: string | null;
}

export interface LoadOptions {
  /** Module identity; defaults to the file name without `.wasm`. A running name means a hot swap. */
  name?: string;
  /** A label for this build (default: v1, v2, … per module). A label is never given to other bytes. */
  version?: string;
  /** For a running name: replace it with fresh state, skipping the API-version and exports checks. */
  fresh?: boolean;
  /** The sha256 the bytes must have (a build announced by a dev server): other bytes are refused. */
  sha256?: string;
  /**
   * The WebAssembly text the bytes were compiled from (a build of the playground's Source panel):
   * kept with the version (`sourceText()`), so that rolling back brings its text back too. The
   * update is recorded with trigger `editor`.
   */
  text?: string;
}

export interface RunOptions {
  /** Environment variables for the run. */
  env?: Record<string, string>;
}

export interface EngineOptions {
  /** Creates a guest worker. Defaults to the bundled worker (src/worker/worker.ts). */
  workerFactory?: () => WorkerLike;
  /** Used for URL loads. */
  fetch?: typeof fetch;
  /** Base for relative URLs. */
  baseUrl?: string;
  /** The clock and timers (tests pass a ManualClock). */
  clock?: Clock;
  /** Where versions, bytes, records and checkpoints are kept (default: in memory). */
  registry?: Registry;
  /** Initial settings (validated); they override stored ones. */
  config?: Partial<EngineConfig>;
  /** Where settings persist (the app uses localStorage). */
  storage?: ConfigStorage;
  /** Spare workers kept ready so a load does not wait for one to start (default: 2; false: none). */
  spares?: Partial<SparePolicy> | false;
}

/** Live settings: read a key, or assign one (validated: an invalid value throws, nothing changes). */
export type ConfigFacade = EngineConfig;

/** What {@link ModuleHandle.stop} did. */
export type StopResult =
  /** Nothing was running (or the module is still loading, or restarting): nothing changed. */
  | { stopped: false; message: string }
  | {
      stopped: true;
      /** What was running, in words: "The call to spin", "The command run". */
      what: string;
      /** How long it had run when it was stopped, ms. */
      ranMs: number;
      /** Calls that waited behind it: they had not started, and were sent again after the restart. */
      requeued: number;
      /** What the module resumed with: its latest checkpoint, or reset state (`failed`: it could not be restarted). */
      resumed: Resumed;
      /** What happened, in words (as the module's status says it). */
      message: string;
    };

/** One module, by name: everything the engine does to a module, done to this one. */
export interface ModuleHandle {
  readonly name: string;
  /** The serving version, or null while the first load runs. */
  info(): ModuleInfo | null;
  status(): ModuleStatus;
  /** JSON call (ABI v1). */
  call(fn: string, arg?: unknown): Promise<unknown>;
  /** Raw numeric call; i64 as BigInt. */
  callRaw(fn: string, ...args: RawValue[]): Promise<RawValue | RawValue[] | undefined>;
  /**
   * {@link call}, answering also the module and version that answered, when, and the engine's
   * measure of its time: the worker's own (`guestMs`) and the round trip (`roundTripMs`).
   */
  callTimed(fn: string, arg?: unknown): Promise<TimedResult<unknown>>;
  /** {@link callRaw}, timed as {@link callTimed} is. */
  callRawTimed(fn: string, ...args: RawValue[]): Promise<TimedResult<RawValue | RawValue[] | undefined>>;
  /** Many JSON calls of one export in one message; each result settles on its own. */
  callBatch(fn: string, args: unknown[]): Promise<Settled<unknown>[]>;
  /** Run a command module's `_start` on a fresh instance. */
  run(args?: string[], options?: RunOptions): Promise<RunResult>;
  /** The versions kept (metadata only), oldest first: every build labelled, served or not, until deleted or evicted. */
  versions(): VersionInfo[];
  /**
   * The bytes of a version (a label, a name given with tag(), or a sha256 prefix of at least 8
   * characters; default the serving one), read from the registry and checked against their
   * sha256: a damaged copy is refused, never handed out.
   */
  download(version?: string): Promise<Uint8Array>;
  /** Pin a version: never evicted (see the `keep_versions` setting), and not deleted until unpinned. */
  pin(version: string): VersionInfo;
  unpin(version: string): VersionInfo;
  /** Give a version a name ("known good"), unique in the module, usable wherever a version is; null takes it away. */
  tag(version: string, name: string | null): VersionInfo;
  /** Delete a version and its bytes; its label is never given again. Refused for the serving version and pinned ones. */
  deleteVersion(version: string): VersionInfo;
  /**
   * The text a version (default: the serving one) was compiled from, when it came with one
   * (LoadOptions.text); null for builds that came as bytes only.
   */
  sourceText(version?: string): Promise<string | null>;
  /** Update records, newest first. */
  history(): UpdateRecord[];
  /** Recent state checkpoints, oldest first. */
  checkpoints(): CheckpointInfo[];
  /** The last 120 calls, across versions, oldest first: when each answered, in how long, and which version answered. */
  recentCalls(): CallSample[];
  /**
   * The serving version's state now: its save_state, after the calls made before (null when it
   * has no save_state). It is kept as a checkpoint too, so checkpoints() and the timeline show it.
   */
  state(): Promise<Uint8Array | null>;
  /**
   * Give `bytes` to the serving version as its state: restore_state on a fresh instance staged
   * from the same module (never on the serving instance), health_check, then the cutover, exactly
   * as an update: in the module's queue (it supersedes no build waiting, and none supersedes it),
   * calls held at the cutover and none failed, with an update record (trigger `inject`) and the
   * usual events. A refusal — no restore_state, restore_state answering non-zero, a trap, an
   * unhealthy answer, or `options.version` no longer serving — changes nothing, is recorded as
   * refused and rejects with why. The bytes are copied; the state is the new first checkpoint.
   */
  injectState(bytes: Uint8Array, options?: InjectOptions): Promise<ModuleInfo>;
  /**
   * Would the serving version take `bytes` as its state? A throwaway instance walks every step
   * an injection would (restore_state, health_check) and goes: nothing changes, no record.
   */
  probeState(bytes: Uint8Array): Promise<StateProbe>;
  /**
   * Give the serving version the state of a kept checkpoint, named by its `seq` (see
   * checkpoints()), the way injectState() does (trigger `rewind`). A checkpoint of another
   * version may be refused by the serving version's restore_state: nothing changes, and the
   * message names the checkpoint.
   */
  rewind(checkpoint: CheckpointRef): Promise<ModuleInfo>;
  /** The state bytes of a kept checkpoint (a copy), or null when the ring no longer holds it. */
  checkpointState(checkpoint: CheckpointRef): Uint8Array | null;
  /** Go back to `version` (default: the one before the serving version), carrying state. */
  rollback(version?: string): Promise<ModuleInfo>;
  /** Re-run the last update with the latest bytes received (`fresh`: replace, state reset). */
  reload(options?: { fresh?: boolean }): Promise<ModuleInfo>;
  /** Re-instantiate from the compiled code (state resets). */
  restart(): Promise<void>;
  /**
   * Stop what the module runs now (a call that never returns, a long command run): its worker is
   * terminated at once and the module recovers as after a call timeout — re-instantiated from its
   * compiled code, its latest checkpoint restored (else its state reset), calls queued behind it
   * sent again. The running call rejects with code `stopped`, its message saying what the state
   * restarted from. No version is blamed: a version in probation is not rolled back. Resolves
   * once the module serves again; when nothing was running, at once, with `stopped: false`.
   */
  stop(): Promise<StopResult>;
  /** This module's settings: the engine's, with its own on top. */
  config(): EngineConfig;
  /** Set settings for this module only (validated); answers its settings. */
  configure(patch: Partial<EngineConfig>): EngineConfig;
  /** Time direct calls inside the worker: the floor for benchmarks. */
  measure(fn: string, arg: unknown | undefined, iterations: number, raw?: boolean): Promise<MeasureResult>;
  /** Stop the module and forget it. */
  unload(): void;
}

export interface Engine {
  /** Load a module from bytes, a File/Blob or a URL. For a running name this is a hot swap. */
  load(source: ModuleSource, options?: LoadOptions): Promise<ModuleInfo>;
  /**
   * Bring back what the registry kept from an earlier session: the update records, and each
   * module at the version that was serving, with its latest checkpoint. Call it before loading
   * anything else; modules loaded already are left as they are.
   */
  restore(options?: RestoreOptions): Promise<RestoreReport>;
  /**
   * A new build that arrived by itself (live push from a dev server, a watcher), as opposed to
   * one a user loads. With auto reload on (`config.enabled`), it goes through the update
   * pipeline at once, as load() does, unless another build of the module arrived less than
   * `debounce_ms` before it: builds that close together are coalesced into the last. With auto reload off (or paused), a build of a running module is
   * kept for Reload instead. Resolves with the version serving afterwards, or null when the build
   * was coalesced into a later one or kept; rejects as load() does.
   */
  push(source: ModuleSource, options?: LoadOptions): Promise<ModuleInfo | null>;
  /** The module loaded under `name` (throws when none is); without a name, the active module's serving version, or null. */
  module(): ModuleInfo | null;
  module(name: string): ModuleHandle;
  /** Every loaded module's serving version. */
  modules(): ModuleInfo[];
  /** Make another loaded module the active one. */
  use(name: string): ModuleInfo;
  /** The active module's name, or null. */
  active(): string | null;
  /** Stop a module and forget it (default: the active one). */
  unload(name?: string): void;
  /** Inspect bytes without loading them (no guest code runs). */
  inspect(bytes: Uint8Array, label?: string): Promise<ModuleLayoutInfo & { sha256: string }>;
  // Shortcuts for the active module (see ModuleHandle).
  call(fn: string, arg?: unknown): Promise<unknown>;
  callRaw(fn: string, ...args: RawValue[]): Promise<RawValue | RawValue[] | undefined>;
  callTimed(fn: string, arg?: unknown): Promise<TimedResult<unknown>>;
  callRawTimed(fn: string, ...args: RawValue[]): Promise<TimedResult<RawValue | RawValue[] | undefined>>;
  callBatch(fn: string, args: unknown[]): Promise<Settled<unknown>[]>;
  run(args?: string[], options?: RunOptions): Promise<RunResult>;
  status(): EngineStatus;
  restart(): Promise<void>;
  stop(): Promise<StopResult>;
  rollback(version?: string): Promise<ModuleInfo>;
  reload(options?: { fresh?: boolean }): Promise<ModuleInfo>;
  state(): Promise<Uint8Array | null>;
  injectState(bytes: Uint8Array, options?: InjectOptions): Promise<ModuleInfo>;
  probeState(bytes: Uint8Array): Promise<StateProbe>;
  rewind(checkpoint: CheckpointRef): Promise<ModuleInfo>;
  /** Recent state checkpoints, oldest first: of module `name`, else of the active module. */
  checkpoints(name?: string): CheckpointInfo[];
  /** The versions kept, oldest first (metadata only): of module `name`, else of the active module. */
  versions(name?: string): VersionInfo[];
  measure(fn: string, arg: unknown | undefined, iterations: number, raw?: boolean): Promise<MeasureResult>;
  /** Update records, newest first (one module's when named). */
  history(name?: string): UpdateRecord[];
  /** Settings: read `config.probation_ms`, assign `config.probation_ms = 1000` (validated). */
  readonly config: ConfigFacade;
  /** Change several settings at once; refuses out-of-range values with a message. */
  configure(patch: Partial<EngineConfig>): EngineConfig;
  /**
   * Read what another tab of the site wrote to a shared registry: its update records, and the
   * versions of module `name` (their labels are then never given here; those that served can be
   * rolled back to). The playground calls it on the registry's change notices.
   */
  sync(name?: string): Promise<void>;
  /** The registry as one file: export what it keeps, import what another browser exported. */
  readonly registry: {
    /** One JSON file with the versions, their bytes, the records and checkpoints kept (all, or one module's). */
    export(options?: { module?: string }): Promise<Blob>;
    /** Take a file export() made: every checksum verified first, duplicates skipped, a bad file refused whole; says what it took and refused. */
    import(file: Blob | string): Promise<ImportReport>;
    /**
     * Keep `bytes` as version `version` of module `name` without running them (checked as a
     * module the engine would load first); the module need not be loaded. A label kept for
     * other bytes is refused. Answers the version, which can then be rolled back to.
     */
    publish(name: string, version: string, bytes: Uint8Array | ArrayBuffer | Blob): Promise<VersionInfo>;
    /** The bytes of a version of module `name` (default: the one it serves), checked against their sha256. */
    download(name: string, version?: string): Promise<Uint8Array>;
    /**
     * Make room: remove, in every module, unpinned versions past `keep` (default: half of those
     * each keeps), the ones used least recently first, never serving ones; then save again what
     * could not be saved for want of room. Answers what went, and how many writes still wait.
     */
    prune(options?: { keep?: number }): Promise<PruneReport>;
  };
  /** Write now what the registry has not written yet (writes wait a moment, off an update's path): the page is being left. */
  flush(): Promise<void>;
  /** Run `n` instances of module `name` (1–16): new ones get the state of an existing one; removed ones finish their calls first. */
  scale(name: string, n: number): Promise<InstanceView[]>;
  /** The instances of module `name`. */
  pool(name: string): InstanceView[];
  /** Deploy a new build of a module with a strategy (docs/strategies.md); resolves once it has started. */
  deploy(source: ModuleSource, options: DeployOptions): Promise<Deployment>;
  /** The deployment of module `name` running now, else the latest one that ended, else null. */
  deployment(name: string): Deployment | null;
  /** Listen to every event (see EngineEvent); answers the function that stops listening. */
  subscribe(listener: (event: EngineEvent) => void): () => void;
  dispose(): void;
}
