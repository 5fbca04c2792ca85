// Generate a code-heavy guest of roughly `targetBytes`: the counter example plus filler functions,
// so compile time is realistic (a module that is mostly a data segment compiles in no time).
import { readFile, writeFile, mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { watToWasm } from '../scripts/wat.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = join(root, 'bench', '.cache');

function filler(i) {
  // ~256 bytes of code each: a chain of arithmetic no optimiser can fold away.
  let body = '(local.get 0)';
  for (let k = 0; k < 24; k++) body = `(i32.xor (i32.mul ${body} (i32.const ${(i * 31 + k * 7) | 1})) (i32.const ${i + k}))`;
  return `(func $f${i} (param i32) (result i32) ${body})`;
}

/**
 * Bytes of a counter module padded with code to about `targetBytes`. `variant` makes a distinct
 * build (another sha256) with the same code. Cached under bench/.cache.
 */
export async function counterOfSize(targetBytes, variant = '') {
  const out = join(cacheDir, `counter-${targetBytes}${variant ? `-${variant}` : ''}.wasm`);
  const source = join(root, 'examples', 'counter-wat', 'counter.wat');
  const cached = await stat(out).catch(() => null);
  const src = await stat(source);
  if (cached && cached.mtimeMs > src.mtimeMs) return readFile(out);
  const wat = await readFile(source, 'utf8');
  const perFunction = 256;
  const count = Math.max(1, Math.round(targetBytes / perFunction));
  const fillers = Array.from({ length: count }, (_, i) => filler(i)).join('\n');
  let text = wat.replace(/\)\s*$/, `\n${fillers}\n)`);
  if (variant) text = text.replace('(@custom "api_version" "1.0.0")', `(@custom "api_version" "1.0.0") (@custom "build" "${variant}")`);
  const bytes = await watToWasm(text, 'padded-counter.wat');
  await mkdir(cacheDir, { recursive: true });
  await writeFile(out, bytes);
  return Buffer.from(bytes);
}
