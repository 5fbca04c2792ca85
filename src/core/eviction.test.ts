/** The eviction policy alone: which versions go, in which order. */
import { describe, expect, it } from 'vitest';
import { versionRecord } from '../registry/test-support';
import type { VersionRecord } from './registry';
import { chooseEvictions } from './eviction';

const version = (label: string, createdAt: number, patch: Partial<VersionRecord> = {}) => versionRecord(label, label, { createdAt, ...patch });

const labels = (versions: VersionRecord[]) => versions.map((v) => v.label);

describe('chooseEvictions', () => {
  it('lets nothing go within the limit; pinned versions do not count', () => {
    const versions = [version('v1', 1, { pinned: true }), version('v2', 2), version('v3', 3)];
    expect(chooseEvictions(versions, 2, new Set())).toEqual([]);
  });

  it('lets the least recently used go first: servedAt, else createdAt', () => {
    const versions = [version('v1', 1, { servedAt: 10 }), version('v2', 2), version('v3', 3), version('v4', 4)];
    expect(labels(chooseEvictions(versions, 2, new Set()))).toEqual(['v2', 'v3']);
  });

  it('never lets a protected or pinned version go, and takes the next instead', () => {
    const versions = [version('v1', 1, { pinned: true }), version('v2', 2), version('v3', 3), version('v4', 4)];
    expect(labels(chooseEvictions(versions, 2, new Set(['v2'])))).toEqual(['v3']);
    expect(labels(chooseEvictions(versions, 1, new Set(['v2', 'v3', 'v4'])))).toEqual([]);
  });
});
