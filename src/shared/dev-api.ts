/**
 * The HTTP API of the hotwasm dev-server plugin: routes, the header tools authenticate with, and
 * the JSON shapes answered. Served by src/plugin/http.ts, used by the CLI (bin/hotwasm.mjs) and
 * by pages. Documented in docs/live-push.md.
 */
import type { BuildFailure, BuildFailureCode, BuildNotice } from './dev-events';

export const ROUTES = {
  status: '/__hotwasm/status',
  trigger: '/__hotwasm/trigger',
  push: '/__hotwasm/push',
  /** Followed by `<sha256>.wasm`. */
  modules: '/__hotwasm/modules/',
} as const;

/** Tools (the CLI) send the per-start token in this header. Browsers authenticate by origin. */
export const TOKEN_HEADER = 'x-hotwasm-token';

/** Every error answer: `{ error: { code, message } }` with a 4xx/5xx status. */
export type ApiErrorCode =
  | 'forbidden-host' // 403: the Host header is not allowed (DNS rebinding)
  | 'forbidden-origin' // 403: a browser request from another origin
  | 'unauthorized' // 401: no token, or a wrong one, on a mutating route
  | 'push-disabled' // 403: the server listens beyond loopback and no token is configured
  | 'not-found' // 404
  | 'method-not-allowed' // 405 (see the Allow header)
  | 'unsupported-media-type' // 415: push bodies are application/wasm or application/octet-stream
  | 'too-large' // 413: over maxBytes (from Content-Length, or while streaming)
  | 'bad-request' // 400: malformed query, name or sha256
  | 'unknown-module' // 404: no module of that name
  | 'name-required' // 400: several modules are watched: say which
  | 'invalid-module' // 422: the pushed bytes are not a WebAssembly module (the detail says why)
  | 'build-failed' // 422: the triggered build failed (`failure` has the details)
  | 'internal'; // 500

export interface ApiError {
  error: { code: ApiErrorCode; message: string };
  /** On `build-failed`: what the build reported. */
  failure?: BuildFailure;
}

/** One kept build of a module, newest first in {@link ModuleStatus.versions}. */
export interface VersionInfo {
  seq: number;
  sha256: string;
  size: number;
  url: string;
  builtAt: number;
  source: BuildNotice['source'];
}

export interface LastBuildInfo {
  seq: number;
  status: 'ok' | 'failed';
  code: BuildFailureCode | null;
  message: string | null;
  startedAt: number;
  durationMs: number;
  exitCode: number | null;
  signal: string | null;
  /** The last few KiB of the compiler's output. */
  outputTail: string;
}

export interface ModuleStatus {
  name: string;
  /** `cargo`, `assemblyscript`, `wat`, `command`, `artifact`, or `pushed` (made by POST /push). */
  kind: string;
  /** What is watched, as configured. */
  watch: string[];
  /** The artifact read after a build, when there is a file. */
  artifact: string | null;
  state: 'idle' | 'building';
  /** A change arrived during the build: one more build follows. */
  queued: boolean;
  /** Why the build under way waits (an artifact still being written), or null. */
  waiting: string | null;
  versions: VersionInfo[];
  lastBuild: LastBuildInfo | null;
}

export interface StatusResponse {
  schema: 1;
  session: string;
  /** Pages connected over the HMR socket. */
  pages: number;
  /** Whether push and trigger are accepted, and why not. */
  mutations: { enabled: boolean; reason: string | null };
  maxBytes: number;
  modules: ModuleStatus[];
}

export interface BuildResponse {
  build: BuildNotice;
}
