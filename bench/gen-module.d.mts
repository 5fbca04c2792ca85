/** Types for bench/gen-module.mjs (used by the e2e tests too). */
export function counterOfSize(targetBytes: number, variant?: string): Promise<Buffer>;
