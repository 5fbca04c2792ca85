/**
 * Deployments over a module's pool of instances (docs/strategies.md): the strategies, their
 * settings, and what a running deployment tells about itself. `engine.deploy()` starts one and
 * answers its {@link Deployment} handle; `engine.deployment(name)` finds the one running.
 */

/** How a new build replaces the instances serving a module. */
export type Strategy =
  /** Stage a complete green pool, each instance given its blue counterpart's state, then move all traffic at once. */
  | { kind: 'blue-green'; /** Wait for promote() after the green pool is ready (the seed's prepare/execute); default false. */ manual?: boolean }
  /** Replace instances `batch_size` at a time, each drained, its state carried, validated. */
  | { kind: 'rolling'; batch_size?: number }
  /** One instance runs the new build and takes `traffic_percentage` of calls; promoted or rolled back by its numbers. */
  | ({ kind: 'canary'; traffic_percentage?: number } & Partial<CanarySettings>)
  /** A sample of live calls is mirrored to the candidate and the answers compared; no traffic moves until promote(). */
  | { kind: 'shadow'; /** Share of calls mirrored, 0 < sample ≤ 1 (default 1). */ sample?: number; /** A mirrored call slower than this many times the serving one counts as a divergence (default 10). */ latency_ratio?: number };

export type StrategyKind = Strategy['kind'];

/** The canary's decision rules. */
export interface CanarySettings {
  /** Calls the canary must answer before it is judged (default 100). */
  min_calls: number;
  /** Time the canary must serve before it is judged, ms (default 2000). */
  min_ms: number;
  /** Rolled back when its error rate exceeds the baseline's by more than this (0.01 = 1 point; default 0.01). */
  max_error_rate_increase: number;
  /** Rolled back when its p99 exceeds the baseline's p99 × this (default 2) … */
  max_p99_ratio: number;
  /** … and by more than this many ms (small latencies jitter; default 1). */
  p99_slack_ms: number;
}

export type DeploymentPhase =
  | 'preparing' // staging and validating candidates
  | 'prepared' // blue-green, manual: the green pool is ready, waiting for promote()
  | 'rolling' // replacing instances batch by batch
  | 'canary' // the canary takes its share, being watched
  | 'shadowing' // calls mirrored to the candidate, waiting for promote() or abort()
  | 'switching' // traffic moving
  | 'rolling back'
  | 'done';

export type DeploymentOutcome = 'promoted' | 'rolled back' | 'aborted' | 'refused';

/** A decision or step, in words, with when it was taken. */
export interface Decision {
  at: number;
  text: string;
}

/** One side of the canary's comparison, over the window. */
export interface WindowStats {
  version: string;
  calls: number;
  errors: number;
  p99Ms: number | null;
}

/** A mirrored call whose answer differed from the serving version's. */
export interface Divergence {
  at: number;
  fn: string;
  /** The argument, as JSON text (raw calls: the numbers). */
  arg: string;
  kind: 'result' | 'error on candidate' | 'error on serving' | 'latency';
  serving: string;
  candidate: string;
}

/** How the calls are shared now: each version's share (0–1). */
export interface TrafficShare {
  version: string;
  share: number;
  instances: number;
}

export interface DeploymentStatus {
  id: number;
  module: string;
  strategy: Strategy;
  from: string;
  /** The new build's label (null until it is staged). */
  to: string | null;
  phase: DeploymentPhase;
  outcome: DeploymentOutcome | null;
  /** Why it was refused, rolled back or aborted. */
  reason: string | null;
  startedAt: number;
  endedAt: number | null;
  traffic: TrafficShare[];
  decisions: Decision[];
  /** The canary's window: canary and baseline. */
  canary: { canary: WindowStats; baseline: WindowStats; since: number } | null;
  /** Shadow: calls mirrored, answered alike, and the divergences (latest 50). */
  shadow: { mirrored: number; matched: number; timedOut: number; divergences: Divergence[] } | null;
}

/** A running (or finished) deployment. */
export interface Deployment {
  readonly id: number;
  readonly module: string;
  readonly strategy: Strategy;
  status(): DeploymentStatus;
  /** Move on now: execute a prepared blue-green, promote a canary without waiting for its window, cut a shadowed candidate over. */
  promote(): void;
  /** Stop and go back to the version serving before, with state; the outcome is `aborted`. */
  abort(reason?: string): void;
  /** Settles with the status at the end (outcome set); never rejects. */
  readonly done: Promise<DeploymentStatus>;
}

export interface DeployOptions {
  name?: string;
  version?: string;
  strategy: Strategy;
}

/** One instance of a pool, as the Deploy panel shows it. */
export interface InstanceView {
  /** Stable within the page: "#1", "#2", … */
  id: string;
  version: string;
  state: 'healthy' | 'restarting' | 'failed' | 'draining' | 'staged';
  /** Bytes of its latest state checkpoint, when one was taken. */
  stateBytes: number | null;
  calls: number;
  errors: number;
  p50Ms: number | null;
  p99Ms: number | null;
  /** Its share of new calls (0–1). */
  share: number;
}

/** Per second, per version: what the Deploy panel's chart draws (the latest 60 s). */
export interface TrafficPoint {
  at: number;
  version: string;
  calls: number;
  errors: number;
  p99Ms: number | null;
}
