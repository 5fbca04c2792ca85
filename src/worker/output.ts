/**
 * Guest stdout/stderr → page. Bytes are decoded with a streaming UTF-8 decoder (a character split
 * across two writes stays whole) and sent in chunks: at the end of every request message, and
 * during long synchronous calls whenever 16 KiB or 50 ms have piled up, so output appears while a
 * guest is still running. Unlike the shim's `lineBuffered`, a last line without a newline is kept.
 */
import type { OutputStream } from '../shared/protocol';

const FLUSH_BYTES = 16 * 1024;
const FLUSH_MS = 50;

export type OutputPost = (stream: OutputStream, text: string) => void;

export class OutputChannel {
  private readonly decoder = new TextDecoder('utf-8');
  private pending = '';
  private lastFlush = performance.now();
  /** Extra listeners (a `run` collects its own copy of the output). */
  readonly taps = new Set<(text: string) => void>();

  constructor(
    readonly stream: OutputStream,
    private readonly post: OutputPost,
  ) {}

  write(bytes: Uint8Array): void {
    const text = this.decoder.decode(bytes, { stream: true });
    if (text === '') return;
    for (const tap of this.taps) tap(text);
    this.pending += text;
    if (this.pending.length >= FLUSH_BYTES || performance.now() - this.lastFlush >= FLUSH_MS) this.flush();
  }

  flush(): void {
    if (this.pending === '') return;
    this.post(this.stream, this.pending);
    this.pending = '';
    this.lastFlush = performance.now();
  }
}
