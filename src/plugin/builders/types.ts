/**
 * One interface for every way a module gets built: a Cargo crate, an AssemblyScript project, a
 * single .wat file, a custom command, or a .wasm another tool writes. The scheduler
 * (src/plugin/scheduler.ts) only sees this.
 */
import type { BuildFailureCode } from '../../shared/dev-events';

export type BuilderKind = 'cargo' | 'assemblyscript' | 'wat' | 'command' | 'artifact';

export interface BuildContext {
  /** Aborted when the dev server stops: kill what runs. */
  signal: AbortSignal;
  /** A build past this is killed (its process group) and reported as `timeout`. */
  timeoutMs: number;
  /** Artifacts over this are refused from their size. */
  maxBytes: number;
  /** Why the build is waiting (for an artifact being written), or null; shown in status. */
  onWaiting(reason: string | null): void;
}

export interface BuildProduct {
  bytes: Uint8Array;
  /** The compiler's output (a tail), kept for status even on success: warnings. */
  output: string;
  /** The bytes passed checkModuleBytes already (an artifact read whole): not checked again. */
  checked?: boolean;
}

export interface Builder {
  readonly kind: BuilderKind;
  /** The file read after a build, when there is one (known after the first build for Cargo). */
  readonly artifact: string | null;
  /** Build once. Rejects with a {@link BuildError} for anything a person should read. */
  build(context: BuildContext): Promise<BuildProduct>;
}

/** A build that produced no module, with what to tell the person. */
export class BuildError extends Error {
  constructor(
    readonly code: BuildFailureCode,
    message: string,
    readonly details: { output?: string; exitCode?: number | null; signal?: string | null } = {},
  ) {
    super(message);
    this.name = 'BuildError';
  }
}
