/**
 * `hotwasm new <dir> --lang rust|c|as|wat [--name <name>]`: a guest project from a kit. Copies
 * kits/<lang>/template/ into <dir>, with `__NAME__` and `__NAME_SNAKE__` replaced in contents and
 * file names and `gitignore` renamed `.gitignore`, then kits/<lang>/lib/ into <dir>/hotwasm-kit/,
 * so the project stands alone. Everything is checked before anything is written.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { PACKAGE_ROOT } from './client.mjs';
import { CliError, EXIT } from './errors.mjs';

/** The project name rule of the kits (it becomes a crate, file and module name). */
export const NAME_RE = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * The languages, and the plain build command of each (beside `npx hotwasm dev`, which needs none).
 * A template's hotwasm.json `build` wins over this.
 */
export const LANGUAGES = {
  rust: { title: 'Rust', build: 'cargo build --release --target wasm32-wasi' },
  c: { title: 'C', build: 'make' },
  as: { title: 'AssemblyScript', build: 'npm install && npx asc --config asconfig.json' },
  wat: { title: 'WebAssembly text', build: 'npx -p wabt wat2wasm --enable-annotations __NAME__.wat -o __NAME__.wasm' },
};

/** Kit folders never copied: what building a kit in place leaves. */
const SKIP = new Set(['node_modules', 'target', '.git']);

/** Where the kits are: $HOTWASM_KITS_DIR (for tests), else this package's kits/. */
export function kitsDir() {
  return process.env.HOTWASM_KITS_DIR ? resolve(process.env.HOTWASM_KITS_DIR) : join(PACKAGE_ROOT, 'kits');
}

/**
 * The name a folder gives, when the only changes needed are unambiguous: upper case to lower,
 * spaces and underscores to `-`. Null otherwise.
 * @param {string} folder
 */
export function nameFromFolder(folder) {
  const name = folder.toLowerCase().replace(/[ _]+/g, '-');
  return NAME_RE.test(name) ? name : null;
}

/**
 * Every file under `dir`, as paths relative to it.
 * @param {string} dir
 * @returns {Promise<string[]>}
 */
async function walk(dir) {
  /** @type {string[]} */
  const out = [];
  const visit = async (/** @type {string} */ at) => {
    for (const entry of (await readdir(at, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      if (SKIP.has(entry.name)) continue;
      const path = join(at, entry.name);
      if (entry.isDirectory()) await visit(path);
      else if (entry.isFile()) out.push(relative(dir, path));
    }
  };
  await visit(dir);
  return out;
}

/** @param {string} text @param {string} name */
const fill = (text, name) => text.replaceAll('__NAME_SNAKE__', name.replaceAll('-', '_')).replaceAll('__NAME__', name);

/**
 * The files of the new project: [path in the project, bytes, mode].
 * @param {string} kit
 * @param {string} name
 * @returns {Promise<[string, Uint8Array, number][]>}
 */
async function plan(kit, name) {
  /** @type {[string, Uint8Array, number][]} */
  const files = [];
  const template = join(kit, 'template');
  for (const rel of await walk(template)) {
    const source = join(template, rel);
    const parts = fill(rel, name).split(sep).map((p) => (p === 'gitignore' ? '.gitignore' : p));
    const bytes = await readFile(source);
    // Text gets the placeholders; a binary file (a NUL byte in it) is copied as it is.
    const content = bytes.includes(0) ? bytes : Buffer.from(fill(bytes.toString('utf8'), name));
    files.push([join(...parts), content, (await stat(source)).mode]);
  }
  const lib = join(kit, 'lib');
  for (const rel of await walk(lib)) {
    const source = join(lib, rel);
    files.push([join('hotwasm-kit', rel), await readFile(source), (await stat(source)).mode]);
  }
  return files;
}

/** The build command a template declares in its hotwasm.json, if any. */
async function declaredBuild(/** @type {string} */ kit) {
  try {
    const config = JSON.parse(await readFile(join(kit, 'template', 'hotwasm.json'), 'utf8'));
    return typeof config?.build === 'string' ? config.build : null;
  } catch {
    return null;
  }
}

export const newProject = {
  summary: 'create a guest project from a kit (rust, c, as, wat), ready for hotwasm dev',
  usage: `hotwasm new <dir> --lang rust|c|as|wat [--name <name>]

  <dir>                the project folder: created, or an empty one (never overwritten)
  --lang <lang>        ${Object.entries(LANGUAGES)
    .map(([k, v]) => `${k} (${v.title})`)
    .join(', ')}
  --name <name>        the guest's name, matching ${NAME_RE} (default: the folder's name,
                       lower-cased with spaces and _ as -, if that is enough)
  -h, --help           this help`,
  options: { lang: { type: 'string' }, name: { type: 'string' } },
  /** @param {any} values @param {string[]} positionals */
  async run(values, positionals) {
    if (positionals.length !== 1) throw new CliError('hotwasm new takes one folder: where to create the project', EXIT.usage);
    const known = Object.keys(LANGUAGES).join(', ');
    if (!values.lang) throw new CliError(`hotwasm new needs --lang: one of ${known}`, EXIT.usage);
    const lang = /** @type {keyof LANGUAGES} */ (values.lang);
    if (!Object.hasOwn(LANGUAGES, lang)) throw new CliError(`unknown language ${JSON.stringify(values.lang)}: the known ones are ${known}`, EXIT.usage);
    const dir = resolve(positionals[0] ?? '');
    const folder = basename(dir);
    /** @type {string} */
    let name;
    if (values.name !== undefined) {
      if (!NAME_RE.test(values.name)) throw new CliError(`${JSON.stringify(values.name)} is not a valid name: it must match ${NAME_RE} (a lower-case letter, then lower-case letters, digits and -, at most 63)`, EXIT.usage);
      name = values.name;
    } else {
      const derived = nameFromFolder(folder);
      if (!derived) throw new CliError(`the folder name ${JSON.stringify(folder)} does not make a valid name (${NAME_RE}): give one with --name`, EXIT.usage);
      name = derived;
    }
    const there = await stat(dir).catch(() => null);
    if (there && !there.isDirectory()) throw new CliError(`${dir} exists and is not a folder`, EXIT.usage);
    if (there && (await readdir(dir)).length > 0) throw new CliError(`${dir} is not empty: hotwasm new never overwrites; give a new or empty folder`, EXIT.usage);
    const kit = join(kitsDir(), lang);
    if (!existsSync(join(kit, 'template')) || !existsSync(join(kit, 'lib'))) {
      throw new CliError(`the ${LANGUAGES[lang].title} kit is missing: ${kit} needs template/ and lib/`, EXIT.failed);
    }

    const files = await plan(kit, name);
    for (const [rel, bytes, mode] of files) {
      const path = join(dir, rel);
      await mkdir(join(path, '..'), { recursive: true });
      await writeFile(path, bytes);
      await chmod(path, mode & 0o777);
    }
    await mkdir(dir, { recursive: true }); // a template with no files still gets its folder

    const shown = relative(process.cwd(), dir) || '.';
    const own = files.map(([rel]) => rel).filter((rel) => !rel.startsWith(`hotwasm-kit${sep}`));
    const kitCount = files.length - own.length;
    const build = fill((await declaredBuild(kit)) ?? LANGUAGES[lang].build, name);
    const cd = shown === '.' ? '' : `cd ${shown} && `;
    console.log(
      [
        `Created ${name}, a ${LANGUAGES[lang].title} guest, in ${shown}:`,
        ...own.map((rel) => `  ${rel.split(sep).join('/')}`),
        `  hotwasm-kit/ (the kit, ${kitCount} file${kitCount === 1 ? '' : 's'})`,
        '',
        'Next:',
        `  npx hotwasm dev ${shown}`,
        '      build it, open the playground, rebuild and hot-swap on every save',
        `  ${cd}${build}`,
        '      or build it yourself',
      ].join('\n'),
    );
  },
};
