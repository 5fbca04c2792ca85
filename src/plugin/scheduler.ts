/**
 * The build loop of one module: changes are debounced into a build request; at most one build
 * runs at a time; requests made during a build queue exactly one more, which starts when it ends
 * and so sees the latest files (the last state wins). Every build is numbered, checked, hashed,
 * kept, and announced to pages — or its failure is, with the compiler's output.
 */
import { createHash } from 'node:crypto';
import type { BuildFailure, BuildNotice, DevEvent } from '../shared/dev-events';
import { devEvent } from '../shared/dev-events';
import { messageOf } from '../shared/errors';
import { formatBytes } from '../shared/inspect';
import { checkModuleBytes } from './artifact';
import { BuildError } from './builders/types';
import type { ResolvedModule } from './detect';
import type { Registry } from './registry';

export type BuildOutcome = { ok: true; notice: BuildNotice } | { ok: false; failure: BuildFailure };

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

export interface SchedulerDeps {
  registry: Registry;
  maxBytes: number;
  notify(event: DevEvent): void;
  logger: Logger;
}

interface Deferred {
  promise: Promise<BuildOutcome>;
  resolve(outcome: BuildOutcome | Promise<BuildOutcome>): void;
}

function deferred(): Deferred {
  let resolve!: Deferred['resolve'];
  const promise = new Promise<BuildOutcome>((r) => (resolve = r));
  return { promise, resolve };
}

/** The last lines of a build's output, for the terminal. */
function lastLines(output: string, n = 12): string {
  const lines = output.trimEnd().split('\n');
  return lines.slice(-n).map((l) => `    ${l}`).join('\n');
}

export class ModuleScheduler {
  private running: Promise<BuildOutcome> | null = null;
  private queued: Deferred | null = null;
  private debounce: ReturnType<typeof setTimeout> | null = null;
  private readonly abort = new AbortController();
  private disposed = false;

  constructor(
    readonly module: ResolvedModule,
    private readonly deps: SchedulerDeps,
  ) {}

  /** A watched file changed: build once changes have paused for debounceMs. */
  changed(): void {
    if (this.disposed) return;
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = null;
      void this.request();
    }, this.module.debounceMs);
  }

  /** Build now, or right after the build under way. Resolves with the outcome of that build. */
  request(): Promise<BuildOutcome> {
    if (this.disposed) return Promise.resolve(this.stopped());
    if (!this.running) return this.start();
    if (!this.queued) {
      this.queued = deferred();
      this.deps.registry.setQueued(this.module.name, true);
    }
    return this.queued.promise;
  }

  /** Stop: kill a running build, forget queued ones. */
  dispose(): void {
    this.disposed = true;
    if (this.debounce) clearTimeout(this.debounce);
    this.abort.abort();
    this.queued?.resolve(this.stopped());
    this.queued = null;
  }

  private stopped(): BuildOutcome {
    return { ok: false, failure: { name: this.module.name, seq: 0, code: 'internal', message: 'The dev server stopped', output: '', exitCode: null, signal: null, durationMs: 0 } };
  }

  private start(): Promise<BuildOutcome> {
    const run = this.run().finally(() => {
      this.running = null;
      const next = this.queued;
      if (next && !this.disposed) {
        this.queued = null;
        this.deps.registry.setQueued(this.module.name, false);
        next.resolve(this.start());
      }
    });
    this.running = run;
    return run;
  }

  private async run(): Promise<BuildOutcome> {
    const { registry, notify, logger, maxBytes } = this.deps;
    const { name, builder, buildTimeoutMs } = this.module;
    const begun = registry.begin(name, Date.now());
    notify(devEvent('hotwasm:building', begun));
    try {
      const product = await builder.build({
        signal: this.abort.signal,
        timeoutMs: buildTimeoutMs,
        maxBytes,
        onWaiting: (reason) => registry.setWaiting(name, reason),
      });
      if (product.bytes.length > maxBytes) {
        throw new BuildError('artifact-too-large', `The build is ${formatBytes(product.bytes.length)}, over the ${formatBytes(maxBytes)} limit (maxBytes)`);
      }
      // (An artifact read whole was checked as it was read: 0.5–6 ms per MiB not spent twice.)
      const check = product.checked ? ({ ok: true } as const) : checkModuleBytes(product.bytes, builder.artifact ?? name);
      if (!check.ok) throw new BuildError('artifact-invalid', check.message, { output: product.output });
      const sha256 = createHash('sha256').update(product.bytes).digest('hex');
      const notice = registry.succeeded(begun, product.bytes, sha256, 'build', product.output);
      notify(devEvent('hotwasm:build', notice));
      logger.info(`${name}: built #${notice.seq} in ${notice.durationMs} ms (${formatBytes(notice.size)}, sha256 ${sha256.slice(0, 12)})`);
      return { ok: true, notice };
    } catch (error) {
      const known = error instanceof BuildError ? error : new BuildError('internal', `The build failed unexpectedly: ${messageOf(error)}`);
      const failure = registry.failed(begun, {
        code: known.code,
        message: known.message,
        output: known.details.output ?? '',
        exitCode: known.details.exitCode ?? null,
        signal: known.details.signal ?? null,
      });
      notify(devEvent('hotwasm:build-failed', failure));
      const output = failure.output.trim() ? `\n${lastLines(failure.output)}` : '';
      logger.warn(`${name}: build #${failure.seq} failed (${failure.code}): ${failure.message}${output}`);
      return { ok: false, failure };
    }
  }
}
