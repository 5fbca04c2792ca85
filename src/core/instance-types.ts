/**
 * The plain data and the contracts around an Instance (./instance.ts): what a module version is,
 * what a call answers, what an instance asks of its owner and needs to run.
 */
import type { ModuleLayoutInfo } from '../shared/inspect';
import type { Op, RequestOf, ResultOf } from '../shared/ops';
import type { OutputStream } from '../shared/protocol';
import type { BufferPool } from './buffer-pool';
import type { Clock } from './clock';
import type { Instance } from './instance';
import type { PendingRequest } from './rpc';
import type { SparePool } from './spares';

export type InstanceState = 'healthy' | 'restarting' | 'failed';

/** Send a request to a worker whose module is still loading (pipelined behind the load). */
export type Send = <O extends Op>(body: RequestOf<O>, timeoutMs: number) => Promise<ResultOf<O>>;

/** Everything known about a loaded module version. Plain data: it crosses any boundary. */
export interface ModuleInfo extends ModuleLayoutInfo {
  /** Identity: the file name without `.wasm`, unless given. */
  name: string;
  /** This build's label: the one given to load(), else v1, v2, … in the order builds were staged. Never reused. */
  version: string | null;
  /** The file name or URL it came from. */
  source: string;
  sha256: string;
  apiVersion: string | null;
  apiVersionSource: 'section' | 'export' | null;
  /** When it was loaded (ms since epoch). */
  loadedAt: number;
  compileMs: number;
  instantiateMs: number;
}

/** A call's answer, who gave it, when, and how long it took (`ModuleHandle.callTimed`). */
export interface TimedResult<T> {
  value: T;
  /** The module and the version whose instance answered. */
  module: string;
  version: string | null;
  /**
   * What the worker spent serving the call, ms: writing the argument into the guest, the guest's
   * own code, reading its answer. Absent when the worker did not say.
   */
  guestMs?: number;
  /**
   * From posting the call to the worker to reading its reply, ms, as the engine measures it: the
   * guest's time, any calls queued ahead of it, both hops — not the caller's work after it.
   */
  roundTripMs: number;
  /** When the answer arrived (ms since epoch, the engine's clock). */
  answeredAt: number;
}

/** A state checkpoint: the bytes save_state answered, and when. */
export interface Checkpoint {
  state: Uint8Array;
  at: number;
}

/** What an instance asks of whoever owns it. */
export interface InstanceOwner {
  /** The latest state checkpoint of `instance` (in a pool of several, its own), restored after a restart. */
  checkpoint(instance: Instance): Checkpoint | null;
  /**
   * A runaway call stopped this instance's worker. Return true to take over the calls queued
   * behind it (they have not started) instead of restarting — a version in probation is rolled back.
   */
  onRunaway(instance: Instance, requeue: PendingRequest[], reason: string): boolean;
  /** A call failed (trap, overflow, timeout, missing export): a version in probation may be rolled back. */
  onCallFailed(instance: Instance, error: unknown, request?: RequestOf<Op>): void;
  /** Statistics or state changed. */
  onChange(instance: Instance): void;
  /**
   * A call answered (or failed) after `ms` (round trip); `sampleMs`, for a call that answered and
   * whose time was asked for ({@link wantsGuestTime}), the guest's own time (the round trip if
   * the worker did not say).
   */
  onCall?(instance: Instance, ms: number, ok: boolean, sampleMs?: number): void;
  /** Should this call to `instance` ask its worker for the guest's own time (see ReplyTiming.guestMs)? Asked on every call: keep it cheap. */
  wantsGuestTime?(instance: Instance): boolean;
  /** A request began, or ceased, to keep this instance busy past BUSY_AFTER_MS (see busyWith): news for its status. */
  onBusy(instance: Instance): void;
}

/** What an instance resumed with after a restart: its latest checkpoint, or reset state; or the restart failed (or it was unloaded meanwhile). */
export type Resumed = 'checkpoint' | 'reset' | 'checkpoint refused' | 'failed' | 'unloaded';

/** What stopping an instance on request did (see ModuleHandle.stop). */
export interface Stopped {
  /** The request that was running, in words: "The call to spin". */
  what: string;
  /** How long it had run when it was stopped, ms. */
  ranMs: number;
  /** Calls and runs queued behind it: they had not started, and are sent again after the restart. */
  requeued: number;
  /** Settles once the instance serves again (or could not), with what it resumed with. */
  restarted: Promise<Resumed>;
}

export interface InstanceDeps {
  spares: SparePool;
  clock: Clock;
  timeouts: () => { callMs: number; loadMs: number };
  onOutput: (stream: OutputStream, text: string) => void;
  /** Where the copies of bytes handed to workers are made (one per engine). */
  buffers: BufferPool;
  owner: InstanceOwner;
}

/** What a load learnt, and the bytes it was made from (the engine's copy). */
export interface Staged<T> {
  instance: Instance;
  steps: T;
  bytes: Uint8Array;
}
