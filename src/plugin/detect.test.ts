/**
 * What `<path>` is decides how it builds; asconfig.json and cargo metadata decide where the
 * artifact is. No toolchain runs here.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planAsconfig } from './builders/assemblyscript';
import { artifactFileName } from './builders/cargo';
import { nameFrom, resolveModule } from './detect';
import { tempDir, removeTempDirs } from './test-support/dev-server';

afterAll(removeTempDirs);

async function folder(files: Record<string, string>) {
  const dir = await tempDir('hotwasm-detect-');
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

describe('detecting what a path is', () => {
  it('takes a Cargo.toml or a folder with one for a cargo crate', async () => {
    const dir = await folder({ 'Cargo.toml': '[package]\nname = "my-crate"\n' });
    for (const path of [dir, join(dir, 'Cargo.toml')]) {
      const m = resolveModule({ path }, { root: '/' });
      expect(m.builder.kind).toBe('cargo');
      expect(m.watch).toEqual(['src', 'Cargo.toml', 'Cargo.lock', 'build.rs'].map((f) => join(dir, f)));
      expect(m.ignore).toContain(join(dir, 'target'));
    }
  });

  it('takes an asconfig.json or a folder with one for AssemblyScript, with the artifact asconfig names', async () => {
    const dir = await folder({ 'asconfig.json': JSON.stringify({ targets: { debug: {}, release: { outFile: 'out/r.wasm' } } }) });
    const m = resolveModule({ path: dir, name: 'as-guest' }, { root: '/' });
    expect(m).toMatchObject({ name: 'as-guest', watch: [dir] });
    expect(m.builder).toMatchObject({ kind: 'assemblyscript', artifact: join(dir, 'out', 'r.wasm') });
    expect(m.ignore).toContain(join(dir, 'out', 'r.wasm'));
    expect(m.ignore).toContain(join(dir, 'node_modules'));
  });

  it('takes a .wat file for in-process compilation and a .wasm (there or not yet) for watching', async () => {
    const dir = await folder({ 'my guest.wat': '(module)' });
    expect(resolveModule({ path: join(dir, 'my guest.wat') }, { root: '/' })).toMatchObject({ name: 'my-guest', builder: { kind: 'wat' } });
    expect(resolveModule({ path: 'later.wasm' }, { root: dir })).toMatchObject({ name: 'later', builder: { kind: 'artifact', artifact: join(dir, 'later.wasm') } });
  });

  it('takes a folder with a build command and an artifact for a custom build, its outputs ignored', async () => {
    const dir = await folder({ 'main.zig': '' });
    const m = resolveModule({ path: dir, build: 'zig build', artifact: 'zig-out/bin/guest.wasm' }, { root: '/' });
    expect(m).toMatchObject({ name: 'guest', cwd: dir, watch: [dir], builder: { kind: 'command', artifact: join(dir, 'zig-out/bin/guest.wasm') } });
    expect(m.ignore).toEqual(expect.arrayContaining([join(dir, 'zig-out/bin/guest.wasm'), join(dir, 'zig-out'), join(dir, '.git')]));
    // A command wins over what the folder holds.
    const crate = await folder({ 'Cargo.toml': '' });
    expect(resolveModule({ path: crate, build: 'make', artifact: 'a.wasm' }, { root: '/' }).builder.kind).toBe('command');
  });

  it('says clearly what it cannot build', async () => {
    const dir = await folder({ 'notes.txt': 'x' });
    expect(() => resolveModule({ path: dir }, { root: '/' })).toThrow(/has no hotwasm\.json, Cargo\.toml, asconfig\.json or single \.wat file: give --build "<command>" and --artifact/);
    expect(() => resolveModule({ path: join(dir, 'notes.txt') }, { root: '/' })).toThrow(/is not something hotwasm can build: give a Cargo\.toml, an asconfig\.json, a \.wat or \.wasm file/);
    expect(() => resolveModule({ path: join(dir, 'missing.wat') }, { root: '/' })).toThrow(/does not exist/);
    expect(() => resolveModule({ path: join(dir, 'a.wasm'), name: '../evil' }, { root: '/' })).toThrow(/is not a module name/);
    expect(() => resolveModule({ artifact: 'a.wasm', build: 'make' }, { root: dir })).toThrow(/needs watch/);
  });

  it('reads a folder\'s hotwasm.json, relative to the folder, with given options winning', async () => {
    const dir = await folder({ 'hotwasm.json': JSON.stringify({ build: 'make', artifact: 'build/guest.wasm', watch: ['src', 'Makefile'], name: 'my-c' }), 'src/a.c': '' });
    for (const path of [dir, join(dir, 'hotwasm.json')]) {
      const m = resolveModule({ path }, { root: '/' });
      expect(m).toMatchObject({ name: 'my-c', cwd: dir, watch: [join(dir, 'src'), join(dir, 'Makefile')], builder: { kind: 'command', artifact: join(dir, 'build/guest.wasm') } });
    }
    const given = resolveModule({ path: dir, name: 'other', build: 'make all', artifact: 'out.wasm', watch: ['/elsewhere'] }, { root: '/' });
    expect(given).toMatchObject({ name: 'other', watch: ['/elsewhere'], builder: { kind: 'command', artifact: join(dir, 'out.wasm') } });
    // A hotwasm.json wins over what else the folder holds.
    const crate = await folder({ 'Cargo.toml': '', 'hotwasm.json': JSON.stringify({ build: 'make', artifact: 'a.wasm' }) });
    expect(resolveModule({ path: crate }, { root: '/' }).builder.kind).toBe('command');
  });

  it('refuses a hotwasm.json it cannot read, saying what is wrong', async () => {
    const cases: [unknown, RegExp][] = [
      ['{', /hotwasm\.json is not JSON/],
      [[], /must hold a JSON object/],
      [{ build: 'make', artifact: 'a.wasm', wacth: ['src'] }, /unknown key "wacth"; the keys are build, artifact, watch, name/],
      [{ build: 7, artifact: 'a.wasm' }, /"build" must be a non-empty string, not 7/],
      [{ build: 'make', artifact: 'a.wasm', watch: 'src' }, /"watch" must be a list of non-empty strings/],
      [{ build: 'make' }, /"build" needs "artifact"/],
    ];
    for (const [content, message] of cases) {
      const dir = await folder({ 'hotwasm.json': typeof content === 'string' ? content : JSON.stringify(content) });
      expect(() => resolveModule({ path: dir }, { root: '/' })).toThrow(message);
    }
  });

  it('builds the one .wat a folder holds, and not a folder with two', async () => {
    const dir = await folder({ 'my-guest.wat': '(module)', 'README.md': '' });
    expect(resolveModule({ path: dir }, { root: '/' })).toMatchObject({ name: 'my-guest', watch: [join(dir, 'my-guest.wat')], builder: { kind: 'wat' } });
    const two = await folder({ 'a.wat': '(module)', 'b.wat': '(module)' });
    expect(() => resolveModule({ path: two }, { root: '/' })).toThrow(/single \.wat file/);
  });

  it('makes module names from file names', () => {
    expect(nameFrom('counter-rust')).toBe('counter-rust');
    expect(nameFrom('My Guest (2).wasm')).toBe('My-Guest-2-');
    expect(nameFrom('...')).toBe('module');
  });
});

describe('asconfig.json', () => {
  it('prefers the release target and reads outFile through extends, relative to the file that names it', async () => {
    const dir = await folder({
      'base/asconfig.json': JSON.stringify({ options: { outFile: 'from-base.wasm' } }),
      'app/asconfig.json': JSON.stringify({ extends: '../base/asconfig.json', targets: { debug: {}, release: {} } }),
    });
    expect(planAsconfig(join(dir, 'app', 'asconfig.json'))).toEqual({ target: 'release', outFile: join(dir, 'base', 'from-base.wasm'), passOutFile: false });
  });

  it('names an output for a project that names none, and refuses a target it lacks', async () => {
    const dir = await folder({ 'asconfig.json': JSON.stringify({ targets: { debug: {} } }) });
    expect(planAsconfig(join(dir, 'asconfig.json'))).toEqual({ target: 'debug', outFile: join(dir, 'build', 'debug.wasm'), passOutFile: true });
    expect(() => planAsconfig(join(dir, 'asconfig.json'), 'release')).toThrow(/has no target "release"/);
  });
});

describe('cargo metadata', () => {
  const meta = (targets: { name: string; kind: string[] }[]) => ({ target_directory: '/t', packages: [{ name: 'p', manifest_path: '/c/Cargo.toml', targets }] });
  it('names the cdylib with - as _, else the bin, from what cargo says', () => {
    expect(artifactFileName(meta([{ name: 'counter-rust', kind: ['cdylib'] }]), '/c/Cargo.toml')).toBe('counter_rust.wasm');
    expect(artifactFileName(meta([{ name: 'my-tool', kind: ['bin'] }]), '/c/Cargo.toml')).toBe('my-tool.wasm');
    expect(() => artifactFileName(meta([{ name: 'x', kind: ['rlib'] }]), '/c/Cargo.toml')).toThrow(/crate-type = \["cdylib"\]/);
    expect(() => artifactFileName(meta([]), '/other/Cargo.toml')).toThrow(/no package/);
  });
});
