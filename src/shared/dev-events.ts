/**
 * The custom events of live push, sent over Vite's HMR websocket between the hotwasm dev-server
 * plugin (src/plugin) and the page. JSON only: a build notice carries the URL of the bytes
 * (content-addressed by sha256), never the bytes.
 *
 *   server → page   hotwasm:building       a build of a module started
 *                   hotwasm:build          a new build (or a pushed module) is ready at `url`
 *                   hotwasm:build-failed   a build failed; the last good build stays available
 *                   hotwasm:state          the latest of every module (answer to hotwasm:sync,
 *                                          and sent to each page as it connects)
 *   page → server   hotwasm:sync           "tell me where things stand" after a (re)connect
 *
 * `seq` numbers the build attempts of one module (building, then build or build-failed, share
 * one seq); a page drops a notice whose seq is lower than one it already acted on. `seq` starts
 * again at 1 when the dev server restarts: `session` in hotwasm:state tells the page so.
 *
 * Every event is checked on arrival with {@link parseDevEvent}; a shape that does not match is
 * dropped and logged by the receiver, never acted on.
 */
// Type-only, erased: it brings Vite's declaration into every program holding this file, which
// the CustomEventMap augmentation below needs (e.g. the worker's, which has no Vite types).
import type {} from 'vite/types/customEvent.d.ts';

/** Module names: what `engine.push(bytes, { name })` is given. Also safe in URLs and file names. */
export const MODULE_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** A lower-case hex sha256. */
export const SHA256_RE = /^[0-9a-f]{64}$/;
/** The path prefix of every plugin route. */
export const DEV_ROUTE_PREFIX = '/__hotwasm/';

/** Where the bytes of a build are served: content-addressed, immutable, same origin as the page. */
export function moduleUrl(sha256: string): string {
  return `${DEV_ROUTE_PREFIX}modules/${sha256}.wasm`;
}

/** A build (or a pushed module) is ready: fetch `url` (same origin) and `engine.push` it. */
export interface BuildNotice {
  name: string;
  seq: number;
  sha256: string;
  /** Bytes. */
  size: number;
  /** `/__hotwasm/modules/<sha256>.wasm`, always {@link moduleUrl} of `sha256`. */
  url: string;
  /** When it was ready (ms since epoch). */
  builtAt: number;
  /** From the start of the build (or the push request) to ready. */
  durationMs: number;
  /** `build`: the plugin built or read it; `push`: it was POSTed to /__hotwasm/push. */
  source: 'build' | 'push';
}

export interface BuildingNotice {
  name: string;
  seq: number;
  /** ms since epoch. */
  startedAt: number;
}

/** Why a build produced no module. Add codes at the end; never rename one. */
export type BuildFailureCode =
  | 'build-failed' // the build command exited non-zero or was killed by a signal
  | 'timeout' // the build ran past buildTimeoutMs; its process group was killed
  | 'toolchain-missing' // the compiler is not installed: `message` says what to install
  | 'artifact-missing' // no artifact where one was expected (after a build, or deleted)
  | 'artifact-invalid' // the artifact is not a WebAssembly module, or a malformed one
  | 'artifact-too-large' // over maxBytes, refused from its size
  | 'config-invalid' // Cargo.toml / asconfig.json could not be used
  | 'internal';

export const BUILD_FAILURE_CODES: readonly BuildFailureCode[] = [
  'build-failed',
  'timeout',
  'toolchain-missing',
  'artifact-missing',
  'artifact-invalid',
  'artifact-too-large',
  'config-invalid',
  'internal',
];

export interface BuildFailure {
  name: string;
  seq: number;
  code: BuildFailureCode;
  /** One or two sentences for people. */
  message: string;
  /** The tail of the compiler's stdout and stderr, interleaved as they came (may be empty). */
  output: string;
  /** Exit code of the build process, when it exited. */
  exitCode: number | null;
  /** The signal that ended it (`SIGTERM` after a timeout), when one did. */
  signal: string | null;
  durationMs: number;
}

/** Page → server. `names`: only these modules (default: all). */
export interface SyncRequest {
  names?: string[];
}

export interface ModuleSnapshot {
  name: string;
  /** A build under way, if any. */
  building: BuildingNotice | null;
  /** The newest module ready for this name. */
  lastBuild: BuildNotice | null;
  /** The newest failure, if it came after `lastBuild` (null once a later build succeeds). */
  lastError: BuildFailure | null;
}

export interface SyncReply {
  /** Random per dev-server start: a new value means seq numbers started again. */
  session: string;
  modules: ModuleSnapshot[];
}

export interface DevEventMap {
  'hotwasm:building': BuildingNotice;
  'hotwasm:build': BuildNotice;
  'hotwasm:build-failed': BuildFailure;
  'hotwasm:state': SyncReply;
  'hotwasm:sync': SyncRequest;
}

export type DevEventName = keyof DevEventMap;
/** One event, discriminated by `event`: `switch (e.event)` narrows `e.data`. */
export type DevEvent = { [K in DevEventName]: { event: K; data: DevEventMap[K] } }[DevEventName];

declare module 'vite/types/customEvent.d.ts' {
  interface CustomEventMap {
    'hotwasm:building': DevEventMap['hotwasm:building'];
    'hotwasm:build': DevEventMap['hotwasm:build'];
    'hotwasm:build-failed': DevEventMap['hotwasm:build-failed'];
    'hotwasm:state': DevEventMap['hotwasm:state'];
    'hotwasm:sync': DevEventMap['hotwasm:sync'];
  }
}

/** Build an event; `satisfies`-style typing keeps the data in step with the name. */
export function devEvent<K extends DevEventName>(event: K, data: DevEventMap[K]): { event: K; data: DevEventMap[K] } {
  return { event, data };
}

// ---------------------------------------------------------------------------------------------
// Checking what arrives
// ---------------------------------------------------------------------------------------------

/** Longest `output` accepted: the plugin sends at most a 64 KiB tail. */
export const MAX_OUTPUT_CHARS = 64 * 1024;

class Bad extends Error {}

type Obj = Record<string, unknown>;
const obj = (v: unknown, what: string): Obj => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Bad(`${what} is not an object`);
  return v as Obj;
};
const str = (o: Obj, k: string, max = 1024): string => {
  const v = o[k];
  if (typeof v !== 'string' || v.length > max) throw new Bad(`${k} is not a string of at most ${max} characters`);
  return v;
};
const nat = (o: Obj, k: string): number => {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new Bad(`${k} is not a non-negative integer`);
  return v;
};
const num = (o: Obj, k: string): number => {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Bad(`${k} is not a non-negative number`);
  return v;
};
const orNull = <T>(o: Obj, k: string, read: (o: Obj, k: string) => T): T | null => (o[k] === null ? null : read(o, k));
const name = (o: Obj): string => {
  const v = str(o, 'name', 64);
  if (!MODULE_NAME_RE.test(v)) throw new Bad(`name ${JSON.stringify(v)} is not a module name`);
  return v;
};

function building(v: unknown): BuildingNotice {
  const o = obj(v, 'data');
  return { name: name(o), seq: nat(o, 'seq'), startedAt: num(o, 'startedAt') };
}

function build(v: unknown): BuildNotice {
  const o = obj(v, 'data');
  const sha256 = str(o, 'sha256', 64);
  if (!SHA256_RE.test(sha256)) throw new Bad('sha256 is not 64 lower-case hex digits');
  // The page fetches `url`: accept only the one URL the sha256 names, on the page's own origin.
  if (str(o, 'url') !== moduleUrl(sha256)) throw new Bad(`url is not ${moduleUrl(sha256)}`);
  const source = o.source;
  if (source !== 'build' && source !== 'push') throw new Bad('source is not "build" or "push"');
  return { name: name(o), seq: nat(o, 'seq'), sha256, size: nat(o, 'size'), url: moduleUrl(sha256), builtAt: num(o, 'builtAt'), durationMs: num(o, 'durationMs'), source };
}

function failure(v: unknown): BuildFailure {
  const o = obj(v, 'data');
  const code = o.code;
  if (!BUILD_FAILURE_CODES.includes(code as BuildFailureCode)) throw new Bad(`code ${JSON.stringify(code)} is not a build failure code`);
  return {
    name: name(o),
    seq: nat(o, 'seq'),
    code: code as BuildFailureCode,
    message: str(o, 'message', 4096),
    output: str(o, 'output', MAX_OUTPUT_CHARS),
    exitCode: o.exitCode === null ? null : (() => {
      if (typeof o.exitCode !== 'number' || !Number.isInteger(o.exitCode)) throw new Bad('exitCode is not an integer or null');
      return o.exitCode;
    })(),
    signal: orNull(o, 'signal', (x, k) => str(x, k, 32)),
    durationMs: num(o, 'durationMs'),
  };
}

function syncRequest(v: unknown): SyncRequest {
  if (v === undefined || v === null) return {};
  const o = obj(v, 'data');
  if (o.names === undefined) return {};
  if (!Array.isArray(o.names) || o.names.length > 1000) throw new Bad('names is not an array of module names');
  return { names: o.names.map((n) => name({ name: n })) };
}

function state(v: unknown): SyncReply {
  const o = obj(v, 'data');
  if (!Array.isArray(o.modules)) throw new Bad('modules is not an array');
  return {
    session: str(o, 'session', 128),
    modules: o.modules.map((m) => {
      const s = obj(m, 'module');
      return {
        name: name(s),
        building: s.building === null ? null : building(s.building),
        lastBuild: s.lastBuild === null ? null : build(s.lastBuild),
        lastError: s.lastError === null ? null : failure(s.lastError),
      };
    }),
  };
}

const PARSERS: { [K in DevEventName]: (data: unknown) => DevEventMap[K] } = {
  'hotwasm:building': building,
  'hotwasm:build': build,
  'hotwasm:build-failed': failure,
  'hotwasm:state': state,
  'hotwasm:sync': syncRequest,
};

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Check an event that arrived (over the HMR socket) against the protocol. Returns the typed
 * event, or an error string that names the event and the field at fault. Unknown fields are
 * dropped; unknown event names are refused.
 */
export function parseDevEvent(event: string, data: unknown): Parsed<DevEvent> {
  if (!Object.hasOwn(PARSERS, event)) return { ok: false, error: `${JSON.stringify(event.slice(0, 64))} is not a hotwasm event` };
  const key = event as DevEventName;
  try {
    return { ok: true, value: { event: key, data: PARSERS[key](data) } as DevEvent };
  } catch (error) {
    if (error instanceof Bad) return { ok: false, error: `${key}: ${error.message}` };
    throw error;
  }
}
