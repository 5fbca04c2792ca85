/**
 * Guest stdout/stderr → page, in the order the guest wrote them.
 *
 * Bytes are decoded with one streaming UTF-8 decoder per stream (a character split across two
 * writes stays whole) and queued in write order across both streams, so a stderr line never
 * overtakes the stdout written before it. The queue is sent at the end of every request message,
 * and during long synchronous calls whenever 16 KiB or 50 ms have piled up, so output appears
 * while a guest is still running. Unlike the shim's `lineBuffered`, a last line without a newline
 * is kept.
 */
import type { OutputStream } from '../shared/protocol';
import { OUTPUT_FLUSH_CHARS, OUTPUT_FLUSH_MS } from '../shared/tuning';

export type OutputPost = (stream: OutputStream, text: string) => void;

export class GuestOutput {
  private readonly decoders: Record<OutputStream, TextDecoder> = { stdout: new TextDecoder('utf-8'), stderr: new TextDecoder('utf-8') };
  private pending: { stream: OutputStream; text: string }[] = [];
  private pendingChars = 0;
  private lastFlush = performance.now();
  /** Extra listeners (a `run` collects its own copy of the output). */
  readonly taps = new Set<(stream: OutputStream, text: string) => void>();

  constructor(private readonly post: OutputPost) {}

  write(stream: OutputStream, bytes: Uint8Array): void {
    const text = this.decoders[stream].decode(bytes, { stream: true });
    if (text === '') return;
    for (const tap of this.taps) tap(stream, text);
    const last = this.pending[this.pending.length - 1];
    if (last?.stream === stream) last.text += text;
    else this.pending.push({ stream, text });
    this.pendingChars += text.length;
    if (this.pendingChars >= OUTPUT_FLUSH_CHARS || performance.now() - this.lastFlush >= OUTPUT_FLUSH_MS) this.flush();
  }

  flush(): void {
    const chunks = this.pending;
    this.pending = [];
    this.pendingChars = 0;
    this.lastFlush = performance.now();
    for (const { stream, text } of chunks) this.post(stream, text);
  }
}
