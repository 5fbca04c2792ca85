/**
 * For the kits' tests only: a new project made from kits/<lang>/template the way
 * `hotwasm new <dir> --lang <lang> --name <name>` makes it (placeholders replaced in contents and
 * file names, `gitignore` → `.gitignore`, kits/<lang>/lib copied to hotwasm-kit/, leaving out
 * what building a kit in place leaves, as `hotwasm new` does: the Rust kit's own cargo test makes
 * kits/rust/lib/target).
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** What `hotwasm new` never copies (SKIP in bin/lib/new.mjs). */
const SKIP = new Set(['node_modules', 'target', '.git']);

function fill(text: string, name: string): string {
  return text.replaceAll('__NAME_SNAKE__', name.replaceAll('-', '_')).replaceAll('__NAME__', name);
}

function copyTemplate(from: string, to: string, name: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) {
    if (SKIP.has(entry)) continue;
    const source = join(from, entry);
    const target = join(to, entry === 'gitignore' ? '.gitignore' : fill(entry, name));
    if (statSync(source).isDirectory()) copyTemplate(source, target, name);
    else writeFileSync(target, fill(readFileSync(source, 'utf8'), name));
  }
}

/** Make the project in dir (which may exist and be empty); returns dir. */
export function newProject(lang: string, dir: string, name: string): string {
  copyTemplate(join(repoRoot, 'kits', lang, 'template'), dir, name);
  cpSync(join(repoRoot, 'kits', lang, 'lib'), join(dir, 'hotwasm-kit'), { recursive: true, filter: (source) => !SKIP.has(basename(source)) });
  return dir;
}
