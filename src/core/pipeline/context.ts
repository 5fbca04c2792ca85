/**
 * What an update's steps share: the input, the versions involved, and what each step learnt for
 * the next ones. The module that is updated provides the {@link PipelineHost}.
 */
import type { ResultOf } from '../../shared/ops';
import type { StagingSteps } from '../../shared/update-plan';
import type { Clock } from '../clock';
import type { EngineConfig } from '../config';
import type { UpdateRecord } from '../history';
import type { Instance, Send, Staged } from '../instance';
import type { InstancePool } from '../pool';

export interface UpdateInput {
  /** The engine's own copy of the bytes (moved to the worker), or a Blob (the worker reads it). */
  data: Uint8Array | Blob;
  /** What to call the input in messages: a file name or URL. */
  source: string;
  /** A label asked for (load's `version`). */
  version?: string;
  /** Replace without carrying state, without the API-version and exports checks (the user asked for it). */
  fresh?: boolean;
  /** The sha256 the bytes must hash to: kept bytes going back into service, or a build as announced. */
  sha256?: string;
  /** `sha256` was announced with the bytes (a push), rather than kept with them. */
  announced?: boolean;
  /** The text the bytes were compiled from (an editor's build), kept with the version. */
  text?: string;
  /**
   * State to give the candidate instead of the serving version's (an injection or a rewind: the
   * candidate is then the serving version's own bytes, see ../state.ts). Moved to the worker.
   */
  state?: Uint8Array;
  /**
   * Requests to send in a first load's own message, to run in its worker right after the module
   * is instantiated, before the page hears back (a restore gives the kept state this way, so no
   * round trip of its own waits behind the page's other work). Not sent by updates, which have
   * their own steps, nor by Reload.
   */
  afterLoad?: (send: Send) => void;
  /**
   * The serving version's own bytes staged as another instance of it (a pool scaling up, or an
   * instance going back to the version it ran): not "already running", it is the point.
   */
  replica?: boolean;
}

/** A request's outcome, read without an unhandled rejection. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** A promise that never rejects: requests sent together are read one by one. */
export function outcome<T>(promise: Promise<T>): Promise<Outcome<T>> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/** The answers to the steps sent with the candidate's load (see StagingSteps). */
export type StagedAnswers = { [K in keyof StagingSteps]: Promise<Outcome<ResultOf<NonNullable<StagingSteps[K]>['op']>>> | null };

/** One update in the queue: a newer one supersedes it until its cutover has begun. */
export interface Ticket {
  superseded: boolean;
  inCutover: boolean;
  candidate: Instance | null;
}

/** What the steps need from the module being updated. */
export interface PipelineHost {
  readonly name: string;
  /** The pool of the serving version (an update runs only once a version serves). */
  readonly pool: InstancePool;
  readonly clock: Clock;
  /** Load `input` into a spare worker with `steps` sent in the same message, and label the candidate. */
  stage<T>(input: UpdateInput, timeoutMs: number, steps: (send: Send) => T): Promise<Staged<T>>;
  /** The sha256 of the build a label was given to, if any. */
  labelOwner(version: string): string | null;
}

export interface UpdateContext {
  readonly host: PipelineHost;
  readonly input: UpdateInput;
  readonly config: EngineConfig;
  /** The version serving when the update began. */
  readonly serving: Instance;
  readonly ticket: Ticket;
  /** Why state was not carried, and the like: kept with the record. */
  readonly warnings: string[];
  candidate: Instance | null;
  answers: StagedAnswers | null;
  /** The serving version's snapshot for the shadow check, and `mark`: its change count when asked. */
  snapshot: Promise<Outcome<ResultOf<'saveState'>>> | null;
  mark: number;
  /** The shadow check's restore, when state was carried into the candidate. */
  restored: (NonNullable<ResultOf<'receiveState'>> & { saveMs: number }) | null;
  stateBytes: number | null;
  cutover: UpdateRecord['cutover'];
}

/**
 * The context of an update of the version serving in `host.pool`; `counterpart` is the instance
 * whose state the candidate takes and that it is checked against (default: the primary one).
 */
export function newContext(host: PipelineHost, input: UpdateInput, config: EngineConfig, ticket: Ticket, counterpart: Instance = host.pool.primary): UpdateContext {
  return {
    host,
    input,
    config,
    serving: counterpart,
    ticket,
    warnings: [],
    candidate: null,
    answers: null,
    snapshot: null,
    mark: 0,
    restored: null,
    stateBytes: null,
    cutover: null,
  };
}
