/** Bytes checked against their sha256 before they are run: kept, missing, or not what they were. */
import { describe, expect, it } from 'vitest';
import { MemoryRegistry } from '../core/registry';
import { sha256Hex } from '../shared/inspect';
import { verifiedBytes } from './verified-bytes';

describe('verifiedBytes', () => {
  it('hands back bytes that hash to their sha256, and refuses missing or changed ones', async () => {
    const registry = new MemoryRegistry();
    const bytes = new Uint8Array([0, 0x61, 0x73, 0x6d]);
    const sha = await sha256Hex(bytes);
    await registry.putBytes(sha, bytes);
    expect(await verifiedBytes(registry, sha)).toEqual({ ok: true, bytes });
    expect(await verifiedBytes(registry, 'f'.repeat(64))).toEqual({ ok: false, reason: 'missing', expected: 'f'.repeat(64) });
    await registry.putBytes('0'.repeat(64), bytes); // kept under a sha256 that is not theirs
    expect(await verifiedBytes(registry, '0'.repeat(64))).toEqual({ ok: false, reason: 'mismatch', expected: '0'.repeat(64), actual: sha });
  });
});
