/** Types for scripts/wat.mjs (used by tests). */
export function watToWasm(text: string, filename?: string): Promise<Uint8Array>;
export function compileWatFile(input: string, output: string): Promise<Uint8Array>;
