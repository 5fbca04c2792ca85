/** Turn what a guest call threw into a HotwasmError that says what happened in words. */
import { WASIProcExit } from '@bjorn3/browser_wasi_shim';
import { HotwasmError } from '../shared/errors';
import { formatBytes } from '../shared/inspect';

export interface MemoryNote {
  memoryBytes: number;
  budgetBytes: number;
}

export function guestFailure(error: unknown, what: string, memory?: MemoryNote): HotwasmError {
  if (error instanceof HotwasmError) return error;
  if (error instanceof WASIProcExit) {
    return new HotwasmError('exit', `${what} called proc_exit(${error.code}): the guest asked to exit`, { exitCode: error.code });
  }
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return new HotwasmError('stack-overflow', `${what} overflowed the stack (${error.message}): infinite or too deep recursion`);
  }
  if (error instanceof WebAssembly.RuntimeError) {
    let message = `${what} trapped: ${error.message}`;
    // A failed memory.grow is invisible to the host; when memory is past half the budget, say so.
    if (memory && memory.memoryBytes >= memory.budgetBytes * 0.5) {
      message += ` (linear memory is at ${formatBytes(memory.memoryBytes)} of the ${formatBytes(memory.budgetBytes)} memory budget; memory.grow past the budget fails)`;
    }
    return new HotwasmError('trap', message, memory ? { ...memory } : {});
  }
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new HotwasmError('trap', `${what} failed: ${text}`);
}
