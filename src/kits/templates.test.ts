// The four templates (kits/<lang>/template) are one guest in four languages: add(n) and
// greet(name) over the same 13-byte state (version 1, total i64, greeted i32, little-endian). Each
// is built here as `hotwasm new` lays it out — WAT and AssemblyScript always (npm wabt and asc),
// C when clang targets wasm32-wasi, Rust when /usr/bin/cargo has the wasm32-wasi standard library
// — and all of them must answer the same calls with the same bytes, save the same state, and take
// over one another's state, so a build in one language can replace a build in another.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watToWasm } from '../../scripts/wat.mjs';
import { loadGuest } from '../test-support/guest';
import { newProject, repoRoot } from '../test-support/kit-project';

const NAME = 'same-guest';
const tmp = mkdtempSync(join(tmpdir(), 'hotwasm-templates-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const CARGO = process.env.CARGO ?? '/usr/bin/cargo';
const RUSTC = process.env.RUSTC ?? '/usr/bin/rustc';

/** The Rust target whose standard library /usr/bin/rustc has, or null (then Rust is skipped). */
function rustTarget(): string | null {
  if (!existsSync(CARGO) || !existsSync(RUSTC)) return null;
  const sysroot = spawnSync(RUSTC, ['--print', 'sysroot'], { encoding: 'utf8' });
  if (sysroot.status !== 0) return null;
  return ['wasm32-wasi', 'wasm32-wasip1'].find((t) => existsSync(join(sysroot.stdout.trim(), 'lib', 'rustlib', t))) ?? null;
}

/** Whether clang links a wasm32-wasi reactor that uses libc (then C is built). */
function haveWasiClang(): boolean {
  writeFileSync(join(tmp, 'probe.c'), '#include <stdlib.h>\nvoid *f(int n) { return malloc(n); }\n');
  const r = spawnSync('clang', ['--target=wasm32-wasi', '-mexec-model=reactor', '-o', join(tmp, 'probe.wasm'), join(tmp, 'probe.c')]);
  return r.status === 0 && spawnSync('make', ['--version']).status === 0;
}

/** Build one template in its project folder: the module bytes, or null when its toolchain is missing. */
const builds: Record<string, (dir: string) => Promise<Uint8Array> | Uint8Array | null> = {
  wat: async (dir) => watToWasm(readFileSync(join(dir, `${NAME}.wat`), 'utf8'), `${NAME}.wat`),
  as: (dir) => {
    symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
    execFileSync(process.execPath, [join(dir, 'node_modules', 'assemblyscript', 'bin', 'asc.js'), '--config', 'asconfig.json', '--target', 'release'], { cwd: dir, stdio: 'pipe' });
    return readFileSync(join(dir, 'build', `${NAME}.wasm`));
  },
  c: (dir) => {
    if (!haveWasiClang()) return null;
    execFileSync('make', [], { cwd: dir, stdio: 'pipe' });
    return readFileSync(join(dir, 'build', `${NAME}.wasm`));
  },
  rust: (dir) => {
    const target = rustTarget();
    if (!target) return null;
    execFileSync(CARGO, ['build', '--offline', '--release', '--target', target], { cwd: dir, stdio: 'pipe', env: { ...process.env, RUSTC } });
    return readFileSync(join(dir, 'target', target, 'release', `${NAME.replaceAll('-', '_')}.wasm`));
  },
};

const built = new Map<string, Uint8Array>();
beforeAll(async () => {
  for (const [lang, build] of Object.entries(builds)) {
    const wasm = await build(newProject(lang, join(tmp, lang), NAME));
    if (wasm) built.set(lang, new Uint8Array(wasm));
    else console.log(`src/kits/templates: the ${lang} template is not built here (no toolchain for it)`);
  }
}, 300_000);

// The calls, and what every template answers, byte for byte.
const SEQUENCE: [name: string, arg: unknown, answer: string][] = [
  ['add', 2, '2'],
  ['add', 3, '5'],
  ['add', 'x', '{"error":"add takes an integer"}'],
  ['greet', 'Ada', '{"hello":"Ada","greeted":1}'],
  ['greet', 5, '{"error":"greet takes a string"}'],
  ['greet', '"quoted"', '{"hello":"\\"quoted\\"","greeted":2}'],
];
const STATE = [1, 5, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0];

const langs = () => [...built.keys()];

describe('the four templates: one guest', () => {
  it('builds WAT and AssemblyScript always, C and Rust where their toolchains are', () => {
    expect(built.has('wat') && built.has('as')).toBe(true);
    console.log(`src/kits/templates: built ${langs().join(', ')}`);
  });

  it('carries api_version 0.1.0, answers ok to health_check, and makes `hello` in its source', () => {
    const sources: Record<string, string> = { wat: `${NAME}.wat`, as: 'assembly/index.ts', c: `src/${NAME}.c`, rust: 'src/lib.rs' };
    for (const lang of Object.keys(builds)) {
      // The word a test edits (hello → howdy) to change the code: in every template's source.
      expect(readFileSync(join(tmp, lang, sources[lang]!), 'utf8'), lang).toMatch(/"hello"/);
    }
    for (const lang of langs()) {
      const g = loadGuest(built.get(lang)!);
      expect(g.apiVersion, lang).toBe('0.1.0');
      expect(g.healthCheck(), lang).toBe('ok');
    }
  });

  it('answers the same calls with the same bytes, and saves the same 13 bytes', () => {
    for (const lang of langs()) {
      const g = loadGuest(built.get(lang)!);
      const answers = SEQUENCE.map(([name, arg]) => g.callRaw(name, JSON.stringify(arg)));
      expect(answers, lang).toEqual(SEQUENCE.map(([, , answer]) => answer));
      expect([...g.saveState()], lang).toEqual(STATE);
    }
  });

  it('takes over the state of every other template, and refuses bytes of another version or length', () => {
    for (const from of langs()) {
      const a = loadGuest(built.get(from)!);
      for (const [name, arg] of SEQUENCE) a.callRaw(name, JSON.stringify(arg));
      const saved = a.saveState();
      for (const to of langs()) {
        const b = loadGuest(built.get(to)!);
        b.call('add', 1);
        const refused = [Uint8Array.of(2, ...saved.slice(1)), saved.slice(0, 12), Uint8Array.of(...saved, 0), new Uint8Array(0)];
        for (const bytes of refused) expect(b.restoreState(bytes), `${to} given ${String([...bytes])}`).not.toBe(0);
        expect([...b.saveState()], `${to}: a refusal keeps the running state`).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        expect(b.restoreState(saved), `${to} restores ${from}'s state`).toBe(0);
        expect(b.callRaw('add', '0'), `${from} → ${to}`).toBe('5');
        expect(b.callRaw('greet', '"Bo"'), `${from} → ${to}`).toBe('{"hello":"Bo","greeted":3}');
      }
    }
  });

  it('answers howdy once hello is edited in the source (the WAT template, built in-process)', async () => {
    const source = readFileSync(join(tmp, 'wat', `${NAME}.wat`), 'utf8').replaceAll('hello', 'howdy');
    const g = loadGuest(await watToWasm(source, `${NAME}.wat`));
    expect(g.callRaw('greet', '"Ada"')).toBe('{"howdy":"Ada","greeted":1}');
  });
});
