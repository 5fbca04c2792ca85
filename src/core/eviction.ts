/**
 * Which versions the IndexedDB registry lets go: past `keep` unpinned versions of a module, the
 * ones used least recently (servedAt, else createdAt) go first. Pinned versions are never let go
 * and do not count; neither is a version in `protect` (the one a module record says is serving,
 * and the one just written), though it counts. Deciding is pure, so that it can be tested apart;
 * the registry deletes what this returns, and their bytes unless a kept version shares them.
 */
import type { VersionRecord } from './registry';

export const DEFAULT_KEEP_VERSIONS = 50;

const lastUsed = (v: VersionRecord) => v.servedAt ?? v.createdAt;

export function chooseEvictions(versions: readonly VersionRecord[], keep: number, protect: ReadonlySet<string>): VersionRecord[] {
  const unpinned = versions.filter((v) => !v.pinned);
  let extra = unpinned.length - keep;
  if (extra <= 0) return [];
  const oldestFirst = [...unpinned].sort((a, b) => lastUsed(a) - lastUsed(b) || a.createdAt - b.createdAt);
  const evicted: VersionRecord[] = [];
  for (const version of oldestFirst) {
    if (extra <= 0) break;
    if (protect.has(version.label)) continue;
    evicted.push(version);
    extra--;
  }
  return evicted;
}
