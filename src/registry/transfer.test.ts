/**
 * Export and import of a registry (./transfer.ts), against MemoryRegistry and against the
 * IndexedDB registry on fake-indexeddb (a fresh IDBFactory per registry).
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { UpdateRecord } from '../core/history';
import type { CheckpointRecord, ModuleRecord, Registry, VersionRecord } from '../core/registry';
import { sha256Hex } from '../shared/inspect';
import type { IndexedDbRegistry } from './idb-registry';
import { registryImplementations, updateRecord, versionRecord } from './test-support';
import { exportRegistry, fromBase64, importRegistry, toBase64, type ImportReport, type RegistryExport } from './transfer';

const opened: IndexedDbRegistry[] = [];
afterEach(() => {
  for (const registry of opened.splice(0)) registry.close();
});

const kinds = registryImplementations(opened);

const wasm = (n: number, size = 16) => {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + n * 7) & 0xff;
  return bytes;
};

async function version(module: string, label: string, bytes: Uint8Array, patch: Partial<VersionRecord> = {}): Promise<VersionRecord> {
  return versionRecord(label, await sha256Hex(bytes), { module, size: bytes.length, source: `${module}.wasm`, ...patch });
}

const record = (id: number, module: string, patch: Partial<UpdateRecord> = {}): UpdateRecord => updateRecord(id, { timestamp: 100 + id, module, ...patch });

/** Two modules, each with versions, bytes, records, a checkpoint and what it serves. */
async function fill(registry: Registry): Promise<void> {
  const counter1 = await version('counter', 'v1', wasm(1), { createdAt: 10, servedAt: 11 });
  const counter2 = await version('counter', 'v2', wasm(2), { createdAt: 20, servedAt: 21, pinned: true });
  const clock1 = await version('clock', 'v1', wasm(3), { createdAt: 30, servedAt: 31 });
  await registry.putVersion(counter1, wasm(1));
  await registry.putVersion(counter2, wasm(2));
  await registry.putVersion(clock1, wasm(3));
  await registry.putRecord(record(1, 'counter'));
  await registry.putRecord(record(2, 'counter', { from: { version: 'v1', sha256: counter1.sha256 }, cutover: { pauseMs: 1, saveMs: 2, restoreMs: 3, held: true } }));
  await registry.putRecord(record(3, 'clock', { outcome: 'refused', failedStep: 'exports', error: 'lost exports', refusal: { code: 'lost-exports', detail: { version: 'v2', serving: 'v1', lost: ['tick'] } } }));
  await registry.putCheckpoint({ schema: 1, module: 'counter', label: 'v2', sha256: counter2.sha256, at: 50, state: new Uint8Array([1, 2, 3]) });
  await registry.putCheckpoint({ schema: 1, module: 'clock', label: 'v1', sha256: clock1.sha256, at: 60, state: new Uint8Array([9]) });
  await registry.putModule({ schema: 1, name: 'counter', serving: { label: 'v2', sha256: counter2.sha256 }, at: 22 });
  await registry.putModule({ schema: 1, name: 'clock', serving: { label: 'v1', sha256: clock1.sha256 }, at: 32 });
  await registry.putText?.('counter', counter2.sha256, '(module ;; v2\n)');
}

/** Everything a registry lists, bytes included, for comparing two. */
async function contents(registry: Registry) {
  const versions = await registry.listVersions();
  const bytes: Record<string, number[] | null> = {};
  for (const v of versions) {
    const b = await registry.getBytes(v.sha256);
    bytes[v.sha256] = b ? [...b] : null;
  }
  const modules = (await registry.listModules()).sort((a, b) => a.name.localeCompare(b.name));
  const checkpoints: Record<string, CheckpointRecord | null> = {};
  for (const name of new Set([...modules.map((m) => m.name), ...versions.map((v) => v.module)])) checkpoints[name] = await registry.latestCheckpoint(name);
  const texts: Record<string, string | null> = {};
  for (const v of versions) texts[`${v.module} ${v.label}`] = (await registry.getText?.(v.module, v.sha256)) ?? null;
  return { versions, bytes, records: await registry.listRecords(), checkpoints, modules, texts };
}

async function fileOf(registry: Registry, module?: string): Promise<RegistryExport> {
  return JSON.parse(await (await exportRegistry(registry, { module })).text()) as RegistryExport;
}

function expectOk(report: ImportReport): asserts report is Extract<ImportReport, { ok: true }> {
  if (!report.ok) throw new Error(`import refused: ${report.reason}`);
}

describe('base64', () => {
  it('round-trips bytes, a 10 MiB module included, without blowing the stack', () => {
    const big = new Uint8Array(10 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7 + (i >> 8)) & 0xff;
    const text = toBase64(big);
    expect(text).toBe(Buffer.from(big).toString('base64'));
    expect(sameAs(fromBase64(text), big)).toBe(true);
    expect(fromBase64('')).toEqual(new Uint8Array());
    expect(fromBase64('abc')).toBeNull();
    expect(fromBase64('ab!=')).toBeNull();
  });
});

const sameAs = (a: Uint8Array | null, b: Uint8Array) => a !== null && Buffer.from(a).equals(Buffer.from(b));

describe.each(kinds)('export and import, %s', (_kind, open) => {
  it('round-trips everything into an empty registry', async () => {
    const from = await open();
    await fill(from);
    const into = await open();
    const report = await importRegistry(into, await exportRegistry(from));
    expectOk(report);
    expect(report.took).toEqual({ versions: 3, bytes: 3, records: 3, checkpoints: 2, modules: 2, texts: 1 });
    expect(report.skipped).toEqual({ versions: 0, bytes: 0, records: 0, checkpoints: 0, modules: 0, texts: 0 });
    expect(report.refused).toEqual([]);
    expect(await contents(into)).toEqual(await contents(from));
  });

  it('exports one module only, with only its bytes', async () => {
    const from = await open();
    await fill(from);
    const file = await fileOf(from, 'clock');
    expect(file.format).toBe('hotwasm-registry');
    expect(file.schema).toBe(1);
    expect(file.versions.map((v) => `${v.module} ${v.label}`)).toEqual(['clock v1']);
    expect(Object.keys(file.bytes)).toEqual([file.versions[0]!.sha256]);
    expect(file.records.map((r) => r.module)).toEqual(['clock']);
    expect(file.checkpoints.map((c) => [c.module, c.state])).toEqual([['clock', toBase64(new Uint8Array([9]))]]);
    expect(file.modules.map((m) => m.name)).toEqual(['clock']);

    const into = await open();
    expectOk(await importRegistry(into, JSON.stringify(file)));
    expect((await into.listVersions()).map((v) => v.module)).toEqual(['clock']);
    expect((await into.listModules()).map((m) => m.name)).toEqual(['clock']);
    expect(await into.latestCheckpoint('counter')).toBeNull();
  });

  it('skips what is kept already on a second import', async () => {
    const from = await open();
    await fill(from);
    const into = await open();
    const blob = await exportRegistry(from);
    expectOk(await importRegistry(into, blob));
    const before = await contents(into);
    const again = await importRegistry(into, blob);
    expectOk(again);
    expect(again.took).toEqual({ versions: 0, bytes: 0, records: 0, checkpoints: 0, modules: 0, texts: 0 });
    expect(again.skipped).toEqual({ versions: 3, bytes: 3, records: 3, checkpoints: 2, modules: 2, texts: 1 });
    expect(await contents(into)).toEqual(before);
  });

  it("keeps what this registry's modules serve, and takes the modules it does not have", async () => {
    const from = await open();
    await fill(from);
    const into = await open();
    const mine = await version('counter', 'v1', wasm(1), { createdAt: 10 });
    await into.putVersion(mine, wasm(1));
    const serving: ModuleRecord = { schema: 1, name: 'counter', serving: { label: 'v1', sha256: mine.sha256 }, at: 99 };
    await into.putModule(serving);
    const report = await importRegistry(into, await exportRegistry(from));
    expectOk(report);
    expect(report.skipped.modules).toBe(1);
    expect(report.took.modules).toBe(1);
    const modules = await into.listModules();
    expect(modules.find((m) => m.name === 'counter')).toEqual(serving);
    expect(modules.find((m) => m.name === 'clock')?.serving?.label).toBe('v1');
  });

  it("keeps this registry's records with the same ids (ids count from 1 in every page)", async () => {
    const from = await open();
    await fill(from);
    const into = await open();
    const mine = record(1, 'counter', { timestamp: 7 });
    await into.putRecord(mine);
    const report = await importRegistry(into, await exportRegistry(from));
    expectOk(report);
    expect(report.took.records).toBe(3);
    expect(await into.listRecords()).toEqual([...(await from.listRecords()), mine]);
  });

  it('refuses, alone, a version whose label is kept here for other bytes', async () => {
    const from = await open();
    await fill(from);
    const into = await open();
    const other = await version('counter', 'v2', wasm(99), { createdAt: 5 });
    await into.putVersion(other, wasm(99));
    const report = await importRegistry(into, await exportRegistry(from));
    expectOk(report);
    expect(report.refused.map((r) => r.what)).toEqual(['version counter v2', 'module record counter']);
    expect(report.refused[0]!.reason).toMatch(/label v2 of counter is kept here for other bytes/);
    expect(report.took.versions).toBe(2);
    const v2 = (await into.listVersions('counter')).find((v) => v.label === 'v2');
    expect(v2?.sha256).toBe(other.sha256);
    expect(sameAs(await into.getBytes(other.sha256), wasm(99))).toBe(true);
    expect(await into.getBytes((await version('counter', 'v2', wasm(2))).sha256)).toBeNull();
    expect((await into.listVersions('clock')).map((v) => v.label)).toEqual(['v1']);
    expect(await into.listRecords()).toHaveLength(3);
  });

  it('takes versions whose bytes the exporter had lost as removed (their labels stay taken), and removed ones as they are', async () => {
    const from = await open();
    const damaged = await version('counter', 'v1', wasm(1));
    await from.putVersion(damaged, wasm(7)); // bytes that do not hash to its sha256
    const deleted = await version('counter', 'v2', wasm(2), { removed: { at: 5, why: 'deleted' } });
    await from.putVersion(deleted);
    const file = await fileOf(from);
    expect(file.bytesNotKept).toEqual([damaged.sha256]);
    const into = await open();
    const report = await importRegistry(into, JSON.stringify(file));
    expectOk(report);
    expect(report.took.versions).toBe(2);
    expect(await into.getBytes(damaged.sha256)).toBeNull();
    expect((await into.listVersions('counter')).map((v) => [v.label, v.removed?.why])).toEqual([
      ['v1', 'evicted'],
      ['v2', 'deleted'],
    ]);
  });

  describe('refuses a bad file, writing nothing', () => {
    const bad: [string, (file: RegistryExport, text: string) => string, RegExp][] = [
      ['not JSON', () => 'hello, not json', /not JSON/],
      ['truncated JSON', (_f, text) => text.slice(0, Math.floor(text.length / 2)), /not JSON \(or it is cut short\)/],
      ['of another format', (f) => JSON.stringify({ ...f, format: 'something-else' }), /"format" is "something-else"/],
      ['of schema 2', (f) => JSON.stringify({ ...f, schema: 2 }), /schema 2, newer than this page reads/],
      ['with a record failing its check', (f) => JSON.stringify({ ...f, versions: f.versions.map((v, i) => (i === 2 ? { ...v, createdAt: 'yesterday' } : v)) }), /version 3 \(clock v1\) is not valid: "createdAt" should be a number/],
      ['with an update record failing its check', (f) => JSON.stringify({ ...f, records: [...f.records, { ...f.records[0], outcome: 'great' }] }), /update record 4 .* is not valid: "outcome"/],
      [
        'with bytes whose sha256 is wrong',
        (f) => {
          const [sha] = Object.keys(f.bytes);
          return JSON.stringify({ ...f, bytes: { ...f.bytes, [sha!]: toBase64(wasm(42)) } });
        },
        /do not match that sha256/,
      ],
      [
        'with a version whose bytes are missing',
        (f) => {
          const sha = f.versions.find((v) => v.module === 'clock')!.sha256;
          return JSON.stringify({ ...f, bytes: Object.fromEntries(Object.entries(f.bytes).filter(([k]) => k !== sha)) });
        },
        /bytes of version clock v1 .* are neither in the file nor kept here/,
      ],
      ['with a text failing its check', (f) => JSON.stringify({ ...f, texts: [{ ...f.texts![0], text: 42 }] }), /text 1 \(counter .*\) is not valid: "text" should be a string/],
      ['with a checkpoint state that is not base64', (f) => JSON.stringify({ ...f, checkpoints: [{ ...f.checkpoints[0], state: '%%%' }] }), /checkpoint 1 .* is not valid: "state" should be bytes/],
    ];

    it.each(bad)('%s', async (_what, spoil, reason) => {
      const from = await open();
      await fill(from);
      const text = await (await exportRegistry(from)).text();
      const into = await open();
      const report = await importRegistry(into, new Blob([spoil(JSON.parse(text) as RegistryExport, text)]));
      expect(report.ok).toBe(false);
      if (!report.ok) expect(report.reason).toMatch(reason);
      expect(await contents(into)).toEqual({ versions: [], bytes: {}, records: [], checkpoints: {}, modules: [], texts: {} });
    });
  });
});
