/**
 * Bytes from a registry, checked against the sha256 they are kept under before anything runs
 * them: storage can be damaged, or written by someone else. A registry hands bytes back as they
 * are; this is the check, answered as a value so that the caller refuses the bytes with a reason.
 */
import type { Registry } from '../core/registry';
import { sha256Hex } from '../shared/inspect';

export type VerifiedBytes =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; reason: 'missing'; expected: string }
  | { ok: false; reason: 'mismatch'; expected: string; actual: string };

/** Throws only where the page has no Web Crypto (not a secure context), as sha256Hex does. */
export async function verifiedBytes(registry: Pick<Registry, 'getBytes'>, sha256: string): Promise<VerifiedBytes> {
  const bytes = await registry.getBytes(sha256);
  if (!bytes) return { ok: false, reason: 'missing', expected: sha256 };
  const actual = await sha256Hex(bytes);
  return actual === sha256.toLowerCase() ? { ok: true, bytes } : { ok: false, reason: 'mismatch', expected: sha256, actual };
}
