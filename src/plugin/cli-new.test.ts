/**
 * `hotwasm new`, spawned as a user runs it, on a fixture kit tree (HOTWASM_KITS_DIR): the
 * generated project, and each refusal — which must write nothing.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, type Run } from './test-support/cli';
import { removeTempDirs, tempDir } from './test-support/dev-server';

afterAll(removeTempDirs);

const noStack = (r: Run) => expect(r.stderr).not.toMatch(/\n\s+at /);

/** Every file under `dir`, relative, sorted. */
async function tree(dir: string, at = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(dir, at), { withFileTypes: true })) {
    const rel = at ? `${at}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await tree(dir, rel)));
    else out.push(rel);
  }
  return out.sort();
}

describe('hotwasm new', { timeout: 30_000 }, () => {
  let kits: string;
  let work: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    kits = await tempDir('hotwasm-kits-');
    const files: Record<string, string> = {
      'c/template/src/__NAME_SNAKE__.c': '#include "../hotwasm-kit/hotwasm.h"\n// __NAME__ as __NAME_SNAKE__\n',
      'c/template/hotwasm.json': '{ "build": "make", "artifact": "build/__NAME__.wasm", "watch": ["src", "Makefile"] }\n',
      'c/template/Makefile': 'build/__NAME__.wasm: src/__NAME_SNAKE__.c\n',
      'c/template/README.md': '# __NAME__\n\n    npx hotwasm dev .\n    make\n',
      'c/template/gitignore': 'build/\n',
      'c/lib/hotwasm.h': '/* the kit: __NAME__ stays as it is here */\n',
      'c/lib/target/junk.o': 'a build output of the kit, not copied',
      'wat/template/__NAME__.wat': '(module) ;; __NAME__\n',
      'wat/lib/kit.wat': ';; kit\n',
    };
    for (const [rel, text] of Object.entries(files)) {
      await mkdir(join(kits, rel, '..'), { recursive: true });
      await writeFile(join(kits, rel), text);
    }
    work = await tempDir('hotwasm-new-');
    env = { HOTWASM_KITS_DIR: kits };
  });

  it('copies the template with the name filled in, then the kit into hotwasm-kit/, and says what is next', async () => {
    const r = await cli(['new', 'My_Guest', '--lang', 'c'], { cwd: work, env });
    expect([r.code, r.stderr]).toEqual([0, '']);
    const dir = join(work, 'My_Guest');
    expect(await tree(dir)).toEqual(['.gitignore', 'Makefile', 'README.md', 'hotwasm-kit/hotwasm.h', 'hotwasm.json', 'src/my_guest.c']);
    expect(await readFile(join(dir, 'src/my_guest.c'), 'utf8')).toBe('#include "../hotwasm-kit/hotwasm.h"\n// my-guest as my_guest\n');
    expect(JSON.parse(await readFile(join(dir, 'hotwasm.json'), 'utf8')).artifact).toBe('build/my-guest.wasm');
    expect(await readFile(join(dir, 'hotwasm-kit/hotwasm.h'), 'utf8')).toContain('__NAME__ stays');
    expect(r.stdout).toContain('Created my-guest, a C guest, in My_Guest:\n  .gitignore\n');
    expect(r.stdout).toContain('  hotwasm-kit/ (the kit, 1 file)');
    // The two commands: the dev server, and the build the template's hotwasm.json declares.
    expect(r.stdout).toMatch(/Next:\n {2}npx hotwasm dev My_Guest\n.*\n {2}cd My_Guest && make\n/);
  });

  it('takes --name as given, into an empty folder that exists', async () => {
    const dir = join(work, 'empty');
    await mkdir(dir);
    const r = await cli(['new', dir, '--lang', 'wat', '--name', 'counter-2'], { cwd: work, env });
    expect(r.code).toBe(0);
    expect(await tree(dir)).toEqual(['counter-2.wat', 'hotwasm-kit/kit.wat']);
    expect(r.stdout).toContain('npx -p wabt wat2wasm --enable-annotations counter-2.wat -o counter-2.wasm');
  });

  it('refuses, writing nothing: a non-empty folder, an unknown language, an invalid name, no --lang', async () => {
    const full = join(work, 'full');
    await mkdir(full);
    await writeFile(join(full, 'keep.txt'), 'mine');
    const cases: [string[], RegExp][] = [
      [['new', full, '--lang', 'c'], /full is not empty: hotwasm new never overwrites/],
      [['new', 'fresh', '--lang', 'go'], /unknown language "go": the known ones are rust, c, as, wat/],
      [['new', 'fresh', '--lang', 'c', '--name', 'Bad_Name'], /"Bad_Name" is not a valid name: it must match \/\^\[a-z\]\[a-z0-9-\]\{0,62\}\$\//],
      [['new', 'fresh', '--lang', 'c', '--name', `a${'b'.repeat(63)}`], /is not a valid name/],
      [['new', '2fast', '--lang', 'c'], /the folder name "2fast" does not make a valid name .*: give one with --name/],
      [['new', 'fresh'], /hotwasm new needs --lang: one of rust, c, as, wat/],
      [['new', '--lang', 'c'], /hotwasm new takes one folder/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args, { cwd: work, env });
      expect([args, r.code, r.stdout]).toEqual([args, 2, '']);
      expect(r.stderr).toMatch(message);
      noStack(r);
    }
    expect(await readdir(full)).toEqual(['keep.txt']);
    expect(existsSync(join(work, 'fresh'))).toBe(false);
    expect(existsSync(join(work, '2fast'))).toBe(false);
  });

  it('says so when a kit is missing', async () => {
    const r = await cli(['new', 'x', '--lang', 'rust'], { cwd: work, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the Rust kit is missing: .*rust needs template\/ and lib\//);
    expect(existsSync(join(work, 'x'))).toBe(false);
  });

  it('keeps file modes (an executable script stays executable)', async () => {
    await writeFile(join(kits, 'wat/template/build.sh'), '#!/bin/sh\n', { mode: 0o755 });
    const r = await cli(['new', 'modes', '--lang', 'wat'], { cwd: work, env });
    expect(r.code).toBe(0);
    expect((await stat(join(work, 'modes/build.sh'))).mode & 0o111).not.toBe(0);
  });
});
