/**
 * The copies of module bytes handed to workers. The page copies bytes in hand (the caller keeps
 * theirs) into a buffer made ahead of time and moves the copy to the worker, which hands it back
 * as the version's bytes once it has compiled and hashed it. Copying into memory already in use
 * is several times faster than into a new buffer, whose pages the system must first provide
 * (10 MiB: 0.7–1.5 ms against 5 ms, measured in headless Chromium on the benchmark machine), so
 * the next buffer is made, and touched, while the page is idle.
 */
import { PATCH_ROOM } from '../shared/memory-cap';

export class BufferPool {
  private kept: ArrayBuffer | null = null;

  /** Room to leave after `size` bytes: the worker caps memory growth in place (a longer memory section), and the next build is often slightly larger. */
  private static capacity(size: number): number {
    return size + (size >>> 4) + PATCH_ROOM;
  }

  /** A copy of `bytes`, in the kept buffer when it is large enough (it is then given away). */
  copy(bytes: Uint8Array): Uint8Array {
    let buffer = this.kept;
    this.kept = null;
    if (!buffer || buffer.byteLength < bytes.length + PATCH_ROOM) buffer = new ArrayBuffer(BufferPool.capacity(bytes.length));
    const copy = new Uint8Array(buffer, 0, bytes.length);
    copy.set(bytes);
    return copy;
  }

  /** A buffer that is no longer needed (its bytes are kept elsewhere): the next copy goes into it. */
  giveBack(buffer: ArrayBuffer): void {
    if (!this.kept || buffer.byteLength > this.kept.byteLength) this.kept = buffer;
  }

  /** Make (and touch) a buffer for the next copy of about `size` bytes, unless one is kept. Run it when idle. */
  prepare(size: number): void {
    if (this.kept && this.kept.byteLength >= size + PATCH_ROOM) return;
    const buffer = new ArrayBuffer(BufferPool.capacity(size));
    new Uint8Array(buffer).fill(0); // the system provides the pages now, not during the next copy
    this.kept = buffer;
  }
}
