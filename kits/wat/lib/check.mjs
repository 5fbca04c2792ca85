#!/usr/bin/env node
// Does a .wat carry the current hotwasm kit block (kit.wat, beside this file) verbatim?
//
//   node hotwasm-kit/check.mjs my-guest.wat          # exit 1 and say why when it does not
//   node hotwasm-kit/check.mjs --fix my-guest.wat    # replace the block with the current one
//
// WAT has no includes, so each guest carries a copy of the block below its own code; this is how
// a copy is kept honest (the repository's tests run it over the examples and the template).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MARKER = ';; ---- hotwasm kit v1 (kits/wat/lib/kit.wat): keep below this line ----';

/** The kit block as this folder holds it. */
export function readKit() {
  return readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'kit.wat'), 'utf8');
}

/** null when `text` carries `kit` verbatim (once, from its marker line), else what is wrong. */
export function checkKitBlock(text, kit = readKit()) {
  const marks = text.split(MARKER).length - 1;
  if (marks === 0) return 'no hotwasm kit block (its first line is missing)';
  if (marks > 1) return `the kit's first line appears ${marks} times`;
  const start = text.lastIndexOf('\n', text.indexOf(MARKER)) + 1;
  const block = text.slice(start);
  if (block.startsWith(kit)) return null;
  // Say where the copy parts from the kit, so an accidental edit is easy to find.
  let i = 0;
  while (i < kit.length && block[i] === kit[i]) i++;
  const line = kit.slice(0, i).split('\n').length;
  return `the kit block differs from kit.wat at its line ${line}: ${JSON.stringify(kit.split('\n')[line - 1])}`;
}

/** `text` with its kit block (from the marker line up to the module's last `)`) replaced by `kit`. */
export function updateKitBlock(text, kit = readKit()) {
  const at = text.indexOf(MARKER);
  if (at < 0) throw new Error('no hotwasm kit block to replace');
  const start = text.lastIndexOf('\n', at) + 1;
  const close = text.lastIndexOf(')');
  // What follows the old block (anything added after it, then the module's `)`) is kept.
  const tail = text.slice(start).startsWith(kit) ? text.slice(start + kit.length) : text.slice(close);
  return text.slice(0, start) + kit + tail;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const fix = process.argv.includes('--fix');
  const files = process.argv.slice(2).filter((a) => a !== '--fix');
  let bad = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const problem = checkKitBlock(text);
    if (!problem) continue;
    if (fix) {
      writeFileSync(file, updateKitBlock(text));
      console.log(`${file}: kit block replaced with the current kit.wat`);
    } else {
      bad++;
      console.error(`${file}: ${problem}`);
    }
  }
  process.exitCode = bad ? 1 : 0;
}
