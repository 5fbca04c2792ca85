/**
 * The guest kits end to end, as a user meets them: `hotwasm new` makes a project in each language,
 * a real Vite dev server with the hotwasm plugin builds it with the real toolchain, the page loads
 * it and calls it; an edit of its source is rebuilt and hot-swapped in with its state; and
 * `hotwasm check` passes on the build that serves. All four templates are the same guest
 * (add, greet, a 13-byte versioned state), so one test drives each.
 *
 * WAT and AssemblyScript need nothing but npm packages; C needs clang for wasm32-wasi and Rust
 * Debian's cargo with the wasm32-wasi std (.ci/run installs both). Where one is missing its test
 * says so and does not run.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, type Page, test } from '@playwright/test';
import type { ViteDevServer } from 'vite';
import { startDevServer } from './dev-server';
import { root } from './helpers';

test.describe.configure({ mode: 'serial', timeout: 240_000 });

const run = promisify(execFile);
const CLI = join(root, 'bin', 'hotwasm.mjs');
const CARGO = '/usr/bin/cargo';

interface Kit {
  lang: 'wat' | 'as' | 'c' | 'rust';
  /** The file a user edits. */
  source: string;
  /** Why it cannot build here, or null. */
  missing: () => string | null;
}

const clangMissing = () => {
  const probe = spawnSync('clang', ['--target=wasm32-wasi', '-mexec-model=reactor', '-x', 'c', '-o', '/dev/null', '-'], { input: '#include <stdlib.h>\nvoid *f(int n) { return malloc(n); }\n' });
  return probe.status === 0 ? null : 'clang cannot build for wasm32-wasi (apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32)';
};
const cargoMissing = () => {
  const sysroot = existsSync('/usr/bin/rustc') ? spawnSync('/usr/bin/rustc', ['--print', 'sysroot'], { encoding: 'utf8' }).stdout.trim() : '';
  const target = ['wasm32-wasi', 'wasm32-wasip1'].some((t) => sysroot && existsSync(join(sysroot, 'lib', 'rustlib', t)));
  return existsSync(CARGO) && target ? null : 'no /usr/bin/cargo with the wasm32-wasi std (apt-get install rustc cargo libstd-rust-dev-wasm32)';
};

const KITS: Kit[] = [
  { lang: 'wat', source: 'kit-wat.wat', missing: () => null },
  { lang: 'as', source: 'assembly/index.ts', missing: () => null },
  { lang: 'c', source: 'src/kit-c.c', missing: clangMissing },
  { lang: 'rust', source: 'src/lib.rs', missing: cargoMissing },
];

// A kit whose toolchain is missing gets no test, and says so (.ci/run installs every one).
const buildable = KITS.filter((kit) => {
  const missing = kit.missing();
  if (missing) console.log(`guest-kits: the ${kit.lang} kit's test did not run: ${missing}`);
  return !missing;
});

let dir: string;
let server: ViteDevServer;
let url: string;
const built = new Map<string, string>(); // lang → project folder

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hotwasm-kits-'));
  for (const kit of buildable) {
    const project = join(dir, `kit-${kit.lang}`);
    const made = await run(process.execPath, [CLI, 'new', project, '--lang', kit.lang]);
    expect(made.stdout).toContain(`kit-${kit.lang}`);
    // An AssemblyScript project takes its compiler from its own node_modules (npm install, which
    // would need the network here): this repository's has the same packages.
    if (kit.lang === 'as') symlinkSync(join(root, 'node_modules'), join(project, 'node_modules'), 'dir');
    built.set(kit.lang, project);
  }
  ({ server, url } = await startDevServer({
    // As `hotwasm dev <folder>` takes them: no name, no build command — the folder says.
    modules: [...built.values()].map((path) => ({ path, debounceMs: 20 })),
    cargo: existsSync(CARGO) ? CARGO : undefined,
    tokenFile: join(dir, 'token.json'),
  }));
});

test.afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A JSON call to one module, as a value or the error's text. */
async function call(page: Page, name: string, fn: string, arg: unknown): Promise<unknown> {
  return page.evaluate(([n, f, a]) => window.hotwasm.module(n as string).call(f as string, a), [name, fn, arg] as const);
}

const versionOf = (page: Page, name: string) => page.evaluate((n) => window.hotwasm.module(n).status().version, name);

for (const kit of buildable) {
  test(`${kit.lang}: hotwasm new, built and served by the dev server, hot-swapped on an edit with its state, and hotwasm check passes`, async ({ page }) => {
    const name = `kit-${kit.lang}`;
    const project = built.get(kit.lang)!;
    await page.goto(url);
    // The first build of a Rust crate takes a while (the kit and the guest, in release).
    await expect.poll(() => page.evaluate((n) => window.hotwasm?.modules().some((m) => m.name === n) ?? false, name), { timeout: 180_000 }).toBe(true);
    await expect.poll(() => versionOf(page, name)).not.toBeNull();

    expect(await call(page, name, 'add', 2)).toBe(2);
    expect(await call(page, name, 'add', 3)).toBe(5);
    expect(await call(page, name, 'add', 'x')).toEqual({ error: 'add takes an integer' });
    expect(await call(page, name, 'greet', 'Ada')).toEqual({ hello: 'Ada', greeted: 1 });
    expect(await call(page, name, 'greet', 5)).toEqual({ error: 'greet takes a string' });

    // The edit: a new greeting. The new build takes the old one's state (total 5, 1 greeted).
    const before = await versionOf(page, name);
    const file = join(project, kit.source);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('hello');
    writeFileSync(file, text.replaceAll('hello', 'howdy'));
    await expect.poll(() => versionOf(page, name), { timeout: 180_000 }).not.toBe(before);
    expect(await call(page, name, 'greet', 'Bo')).toEqual({ howdy: 'Bo', greeted: 2 });
    expect(await call(page, name, 'add', 1)).toBe(6);
    const [record] = await page.evaluate((n) => window.hotwasm.history(n), name);
    expect(record).toMatchObject({ trigger: 'push', outcome: 'committed', stateBytes: 13 });

    // hotwasm check on the very bytes that serve.
    const bytes = await page.evaluate(async (n) => [...(await window.hotwasm.module(n).download())], name);
    const wasm = join(dir, `${name}.wasm`);
    writeFileSync(wasm, Buffer.from(bytes));
    const checked = spawnSync(process.execPath, [CLI, 'check', wasm, '--json'], { encoding: 'utf8' });
    expect(checked.status, `${checked.stdout}${checked.stderr}`).toBe(0);
    const report = JSON.parse(checked.stdout) as { ok: boolean; checks: { id: string; status: string; message: string }[] };
    expect(report.ok).toBe(true);
    // Every running step ran: memory growth is measured with the first argument add takes (0).
    expect(report.checks.filter((c) => c.status === 'skip')).toEqual([]);
    expect(report.checks.find((c) => c.id === 'memory')?.message).toMatch(/over 1000 calls of add\(0\)$/);
  });
}
