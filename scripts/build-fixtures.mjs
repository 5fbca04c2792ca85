#!/usr/bin/env node
// Build the hostile test guests: every fixtures/*.wat → fixtures/*.wasm, plus the binary fixtures
// that are not WebAssembly at all (a PNG, a ZIP, text, random bytes, a truncated module, a component).
// The outputs are committed; run this after editing a .wat (`npm run fixtures`).
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { writeCheckFixtures } from './check-fixtures.mjs';
import { swapVariantWat, SWAP_VARIANTS } from './swap-fixtures.mjs';
import { compileWatFile } from './wat.mjs';
import { writeWarmUpFixture } from './warm-up-fixture.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'fixtures');

// Hot-swap variants of the example counter: write their sources, then compile them with the rest.
const counterWat = await readFile(join(root, 'examples/counter-wat/counter.wat'), 'utf8');
for (const name of Object.keys(SWAP_VARIANTS)) {
  await writeFile(join(dir, 'swap', `${name}.wat`), swapVariantWat(counterWat, name));
}
for (const name of Object.keys(SWAP_VARIANTS)) {
  const bytes = await compileWatFile(join(dir, 'swap', `${name}.wat`), join(dir, 'swap', `${name}.wasm`));
  console.log(`swap/${name}.wat → ${bytes.length} bytes`);
}

// The guests of `hotwasm check`: good.wat and its hostile variants.
await writeCheckFixtures(root);
for (const file of (await readdir(join(dir, 'check'))).filter((f) => f.endsWith('.wat')).sort()) {
  const bytes = await compileWatFile(join(dir, 'check', file), join(dir, 'check', file.replace(/\.wat$/, '.wasm')));
  console.log(`check/${file} → ${bytes.length} bytes`);
}

for (const file of (await readdir(dir)).filter((f) => f.endsWith('.wat')).sort()) {
  const out = join(dir, file.replace(/\.wat$/, '.wasm'));
  const bytes = await compileWatFile(join(dir, file), out);
  console.log(`${file} → ${bytes.length} bytes`);
}

/** A real 1×1 PNG, named .wasm. */
function png() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from([0, 0x33, 0x66, 0x99, 0xff]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A stored (uncompressed) ZIP holding one text file. */
function zip() {
  const name = Buffer.from('readme.txt');
  const data = Buffer.from('not a module\n');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(10, 4);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(10, 6);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(name.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(local.length + name.length + data.length, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}

/** Deterministic pseudo-random bytes (xorshift), so the committed file never changes. */
function randomBytes(n) {
  const out = Buffer.alloc(n);
  let x = 0x9e3779b9;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const counter = await readFile(join(root, 'public/examples/counter.wasm'));
const binaries = {
  'empty.wasm': Buffer.alloc(0),
  'logo.wasm': png(),
  'archive.wasm': zip(),
  'notes.wasm': Buffer.from('These are my notes, not a module.\nSecond line.\n'),
  'random.wasm': randomBytes(512),
  'truncated.wasm': counter.subarray(0, Math.floor(counter.length / 2)),
  // A component-model binary header (layer 1, version 0x0d) followed by nothing useful.
  'component.wasm': Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]),
  // The example counter with binary version 2 (bytes 4–7 = 02 00 00 00): no engine reads it.
  'version-2.wasm': Buffer.concat([counter.subarray(0, 4), Buffer.from([0x02, 0x00, 0x00, 0x00]), counter.subarray(8)]),
};
for (const [name, bytes] of Object.entries(binaries)) {
  await writeFile(join(dir, name), bytes);
  console.log(`${name} → ${bytes.length} bytes`);
}

const warmUp = await writeWarmUpFixture(root);
console.log(`warm-up/warm-up.wat → ${warmUp.length} bytes (embedded in src/worker/warm-up-module.ts)`);

// The examples menu offers three of these as they are (src/ui/header/examples.test.ts checks it).
const EXAMPLE_COPIES = { 'bad-calls.wasm': 'misbehaving.wasm', 'swap/unhealthy.wasm': 'counter-unhealthy.wasm', 'logo.wasm': 'not-webassembly.wasm' };
for (const [fixture, example] of Object.entries(EXAMPLE_COPIES)) {
  await writeFile(join(root, 'public/examples', example), await readFile(join(dir, fixture)));
  console.log(`${fixture} → public/examples/${example}`);
}
