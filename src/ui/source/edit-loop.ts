/**
 * Compile as you type, in order: the Source panel hands every text it wants served to
 * {@link EditLoop.edit}. One build runs at a time (compile, then the update through the engine's
 * pipeline); an edit that arrives meanwhile waits as the one queued, and a newer edit replaces
 * it, so the newest text always wins and a swap is never applied out of order. A compile that a
 * newer edit overtook is not applied: its bytes would serve older text for a moment.
 */
import { messageOf } from '../../shared/errors';

/** A place in the text, 1-based, as wabt reports it. */
export interface SourceSpan {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface SourceProblem extends SourceSpan {
  message: string;
}

export type CompileOutcome = { ok: true; bytes: Uint8Array; ms: number } | { ok: false; message: string; diagnostics: readonly SourceProblem[] };

/** What an applied build came to: the version serving it, or why the engine refused it. */
export type ApplyOutcome = { ok: true; version: string; sha256: string; ms: number } | { ok: false; message: string };

/** What the panel shows while the loop works, one event per change. */
export type EditEvent =
  | { phase: 'compiling'; seq: number }
  | { phase: 'compile failed'; seq: number; message: string; problems: readonly SourceProblem[] }
  | { phase: 'updating'; seq: number; compileMs: number }
  | { phase: 'served'; seq: number; compileMs: number; version: string; sha256: string; updateMs: number }
  | { phase: 'refused'; seq: number; compileMs: number; message: string }
  /** A newer edit overtook this one: its build is dropped. */
  | { phase: 'superseded'; seq: number }
  | { phase: 'idle' };

export interface EditLoopDeps {
  compile(text: string): Promise<CompileOutcome>;
  /** Push the bytes through the update pipeline (trigger 'editor'), the text kept with them. */
  apply(bytes: Uint8Array, text: string): Promise<ApplyOutcome>;
  report(event: EditEvent): void;
}

export class EditLoop {
  private queued: string | null = null;
  private running = false;
  private seq = 0;
  private stopped = false;

  constructor(private readonly deps: EditLoopDeps) {}

  /** Serve `text` as soon as the build before it is done; replaces an edit still waiting. */
  edit(text: string): void {
    if (this.stopped) return;
    this.queued = text;
    if (!this.running) void this.drain();
  }

  /** A build runs or waits. */
  get busy(): boolean {
    return this.running;
  }

  /** No more builds (the panel went away); one running finishes, nothing queued starts. */
  stop(): void {
    this.stopped = true;
    this.queued = null;
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queued !== null && !this.stopped) {
        const text = this.queued;
        this.queued = null;
        await this.build(text, ++this.seq);
      }
    } finally {
      this.running = false;
      if (!this.stopped) this.deps.report({ phase: 'idle' });
    }
  }

  private async build(text: string, seq: number): Promise<void> {
    const { deps } = this;
    deps.report({ phase: 'compiling', seq });
    const built = await deps.compile(text).catch((error: unknown): CompileOutcome => ({ ok: false, message: messageOf(error), diagnostics: [] }));
    if (this.queued !== null || this.stopped) return deps.report({ phase: 'superseded', seq });
    if (!built.ok) return deps.report({ phase: 'compile failed', seq, message: built.message, problems: built.diagnostics });
    // The engine hashes the bytes (their identity) on its way: a hash here too would only add a
    // hop through Web Crypto to every keystroke's path.
    deps.report({ phase: 'updating', seq, compileMs: built.ms });
    const applied = await deps.apply(built.bytes, text).catch((error: unknown): ApplyOutcome => ({ ok: false, message: messageOf(error) }));
    if (applied.ok) deps.report({ phase: 'served', seq, compileMs: built.ms, version: applied.version, sha256: applied.sha256, updateMs: applied.ms });
    else deps.report({ phase: 'refused', seq, compileMs: built.ms, message: applied.message });
  }
}
