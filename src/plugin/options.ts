/**
 * The plugin's options, with their defaults. Documented in docs/live-push.md.
 */
import type { DevEvent } from '../shared/dev-events';

export interface HotwasmModuleOptions {
  /**
   * What to build, detected from what it is: a `Cargo.toml` (or a folder with one) builds with
   * cargo; an `asconfig.json` (or a folder with one) with AssemblyScript; a `.wat` file is
   * compiled in-process; a `.wasm` file is watched (another tool writes it); a folder with
   * `build` and `artifact` runs that command. Without `path`, `artifact` is required.
   */
  path?: string;
  /** The name pages load the module under. Default: the crate, project or file name. */
  name?: string;
  /** The .wasm file the build writes, or that another tool writes (`build: false`). Relative to `cwd`. */
  artifact?: string;
  /** Files, folders and globs whose change starts a build, relative to `cwd`. Default: from `path`. */
  watch?: string[];
  /** A shell command that writes `artifact`, or false when another tool writes it. */
  build?: string | false;
  /** Where the command runs and relative paths resolve. Default: the folder of `path`, else the Vite root. */
  cwd?: string;
  /** Changes closer together than this start one build. Default 100 ms. */
  debounceMs?: number;
  /** A build running longer is killed (its whole process group) and reported. Default 300000 ms. */
  buildTimeoutMs?: number;
}

export interface HotwasmOptions {
  /** The modules to watch, build and push. */
  modules?: HotwasmModuleOptions[];
  /** Largest module accepted, built or pushed (bytes). Default 64 MiB, the page's default cap. */
  maxBytes?: number;
  /**
   * A fixed secret (at least 16 characters) that tools send in `x-hotwasm-token`. Needed for push
   * and trigger when the dev server listens beyond loopback (`server.host`); on loopback the
   * per-start token in the token file is enough.
   */
  token?: string;
  /** Where the per-start token is written (mode 0600), or false. Default `<root>/node_modules/.hotwasm/token.json`. */
  tokenFile?: string | false;
  /** Builds kept in memory per module, to be served by sha256. Default 5. */
  keep?: number;
  /** Build every module once when the dev server starts. Default true. */
  buildOnStart?: boolean;
  /** The cargo to run for Cargo crates. Default `$CARGO`, else `cargo`. */
  cargo?: string;
  /** The rustc for Cargo crates. Default `$RUSTC`, else the rustc beside an absolute `cargo`, else `rustc`. */
  rustc?: string;
  /** Told every event sent to pages, as it is sent (the CLI's `dev --json` prints them). */
  onEvent?: (event: DevEvent) => void;
  /**
   * For artifacts another tool writes: between two looks at size and mtime. Only waited when the
   * file is not taken at once — a whole module that validates, unchanged across its read, is.
   * Default 50 ms.
   */
  artifactPollMs?: number;
  /** For artifacts another tool writes: how long a cut-short module may stay so before it is reported. Default 2000 ms. */
  artifactSettleMs?: number;
}

export const DEFAULTS = {
  maxBytes: 64 * 1024 * 1024,
  keep: 5,
  debounceMs: 100,
  buildTimeoutMs: 300_000,
  buildOnStart: true,
  artifactPollMs: 50,
  artifactSettleMs: 2000,
} as const;

export const MIN_TOKEN_LENGTH = 16;

/** Refuse options that cannot work, with a message naming the option. */
export function checkOptions(options: HotwasmOptions): void {
  const positive = (value: number | undefined, name: string) => {
    if (value !== undefined && (!Number.isFinite(value) || value <= 0)) throw new Error(`hotwasm: ${name} must be a positive number, not ${value}`);
  };
  positive(options.maxBytes, 'maxBytes');
  positive(options.keep, 'keep');
  positive(options.artifactPollMs, 'artifactPollMs');
  positive(options.artifactSettleMs, 'artifactSettleMs');
  if (options.token !== undefined && options.token.length < MIN_TOKEN_LENGTH) {
    throw new Error(`hotwasm: token must be at least ${MIN_TOKEN_LENGTH} characters`);
  }
  for (const m of options.modules ?? []) {
    positive(m.buildTimeoutMs, 'buildTimeoutMs');
    if (m.debounceMs !== undefined && (!Number.isFinite(m.debounceMs) || m.debounceMs < 0)) throw new Error(`hotwasm: debounceMs must be 0 or more, not ${m.debounceMs}`);
  }
}
