/**
 * A module's handle (`engine.module(name)`): the calls, versions, history and controls of one
 * module, each failure reported through the engine's error path (an `error` event, then the
 * rejection) so that every way of calling behaves alike.
 */
import { jsonArgText } from '../shared/abi';
import { packTexts, settleBatch } from '../shared/batch';
import type { ModuleHandle } from './api';
import type { EngineConfig } from './config';
import type { ErrorAction } from './events';
import type { UpdateRecord } from './history';
import type { ModuleController } from './module';
import { refusedError } from './pipeline/records';
import { isRefusalStory } from './pipeline/refusal';
import { checkpointFor, describeCheckpoint, probeState, readState } from './state';
import { HotwasmError } from '../shared/errors';

export interface HandleDeps {
  fail(module: string, action: ErrorAction, error: unknown): Promise<never>;
  history(name: string): UpdateRecord[];
  configure(name: string, patch: Partial<EngineConfig>): EngineConfig;
  unload(name: string): void;
}

/** State given by hand, copied: bytes that are not a Uint8Array are refused with why. */
function ownCopy(bytes: Uint8Array): Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new HotwasmError('bad-arguments', `State is given as a Uint8Array, not ${bytes === null ? 'null' : typeof bytes}`);
  return bytes.slice();
}

/** The measure calls' own timeout: long enough for millions of iterations. */
const MEASURE_TIMEOUT_MS = 60_000;

export function makeHandle(m: ModuleController, deps: HandleDeps): ModuleHandle {
  const { name } = m;
  /** Run `work`; a failure, thrown or rejected, goes through the error path. */
  const attempt = <T>(action: ErrorAction, work: () => Promise<T>): Promise<T> => {
    try {
      return work().catch((error: unknown) => deps.fail(name, action, error));
    } catch (error) {
      return deps.fail(name, action, error);
    }
  };
  return {
    name,
    info: () => m.info(),
    status: () => m.status(),
    call: (fn, arg) =>
      attempt('call', () => {
        const argJson = jsonArgText(arg);
        const body = { op: 'call', fn, argJson } as const;
        return m.send((i) => i.call(body), body);
      }),
    callRaw: (fn, ...args) =>
      attempt('call', () => {
        const body = { op: 'callRaw', fn, args } as const;
        return m.send((i) => i.call(body), body);
      }),
    callTimed: (fn, arg) =>
      attempt('call', () => {
        const argJson = jsonArgText(arg);
        const body = { op: 'call', fn, argJson, timed: true } as const;
        return m.send((i) => i.callTimed(body), body);
      }),
    callRawTimed: (fn, ...args) =>
      attempt('call', () => {
        const body = { op: 'callRaw', fn, args, timed: true } as const;
        return m.send((i) => i.callTimed(body), body);
      }),
    callBatch: (fn, args) =>
      attempt('call', async () => {
        const packed = packTexts(args.map(jsonArgText));
        return settleBatch(await m.send((i) => i.request({ op: 'batch', fn, args: packed })), args.length, fn);
      }),
    run: (args = [], options = {}) => {
      const env = Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`);
      return attempt('run', () => m.send((i) => i.request({ op: 'run', args, env })));
    },
    versions: () => m.versions.list(),
    download: (version) => m.versions.download(version, m.info()),
    pin: (version) => m.versions.pin(version, true),
    unpin: (version) => m.versions.pin(version, false),
    tag: (version, tag) => m.versions.tag(version, tag),
    deleteVersion: (version) => m.versions.delete(version),
    sourceText: async (version) => {
      const sha256 = version === undefined ? m.info()?.sha256 : m.versions.need(version).sha256;
      return sha256 === undefined ? null : m.texts.get(sha256);
    },
    history: () => deps.history(name),
    checkpoints: () => m.checkpoints.list().map(({ state: _state, ...info }) => info),
    recentCalls: () => m.calls.list(),
    state: () => attempt('state', () => readState(m)),
    // The caller keeps its bytes: the engine gives a copy of its own (moved to workers).
    injectState: (bytes, options = {}) => attempt('state', () => m.giveState(ownCopy(bytes), 'inject', options.version)),
    probeState: (bytes) => attempt('state', () => probeState(m, ownCopy(bytes))),
    rewind: (checkpoint) =>
      attempt('state', async () => {
        const entry = checkpointFor(m, checkpoint);
        try {
          return await m.giveState(entry.state.slice(), 'rewind');
        } catch (error) {
          // Say which checkpoint was refused: one of another version is the usual reason.
          if (!(error instanceof HotwasmError) || error.code !== 'update-refused' || !isRefusalStory(error.details.story)) throw error;
          const { story, ...details } = error.details;
          throw refusedError(name, { ...story, subject: `${story.subject} to ${describeCheckpoint(entry)}` }, details);
        }
      }),
    checkpointState: (checkpoint) => {
      try {
        return checkpointFor(m, checkpoint).state.slice();
      } catch {
        return null;
      }
    },
    rollback: (version) => attempt('load', () => m.rollback(version)),
    reload: (options = {}) => attempt('load', () => m.reload(options.fresh === true)),
    restart: () => m.restart(),
    stop: () => attempt('call', () => m.stop()),
    config: () => m.config(),
    configure: (patch) => {
      const config = deps.configure(name, patch);
      if (patch.keep_versions !== undefined) m.versions.evict([]);
      return config;
    },
    measure: (fn, arg, iterations, raw = false) =>
      attempt('call', () => {
        const argJson = raw ? null : jsonArgText(arg);
        const timeoutMs = Math.max(m.config().call_timeout_ms, MEASURE_TIMEOUT_MS);
        return m.send((i) => i.request({ op: 'measure', fn, argJson, iterations }, timeoutMs));
      }),
    scale: (n) => attempt('load', () => m.pools.scale(n)),
    pool: () => m.pools.views(),
    deployment: () => m.pools.deployment(),
    unload: () => deps.unload(name),
  };
}
