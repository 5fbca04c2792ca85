/**
 * Live push slice: the dev server's connection, the builds running and the last failure of each
 * module, from the page side of live push (src/core/live-push.ts). A failure's compiler output
 * also goes to the Console, as the module's stderr, so file:line reads as the compiler wrote it.
 */
import type { StateCreator } from 'zustand/vanilla';
import type { LivePushEvent } from '../core/live-push';
import type { BuildFailure, BuildingNotice } from '../shared/dev-events';
import type { AppState } from './app-store';

/** `off`: no dev server (a production build, or a static host). */
export type LiveConnection = 'off' | 'connecting' | 'connected' | 'disconnected';

export interface LiveData {
  connection: LiveConnection;
  /** Builds under way, by module. */
  building: Readonly<Record<string, BuildingNotice>>;
  /** Each module's last failed build, until one of its builds succeeds. */
  failures: Readonly<Record<string, BuildFailure>>;
}

export interface LiveSlice {
  live: LiveData & {
    /** The page started listening to a dev server. */
    connecting(): void;
    apply(event: LivePushEvent): void;
  };
}

const without = <T,>(record: Readonly<Record<string, T>>, name: string): Readonly<Record<string, T>> => {
  if (!(name in record)) return record;
  const { [name]: _gone, ...rest } = record;
  return rest;
};

/** `building` without `name`'s entry if that build (seq) is over: a later build's stays. */
const ended = (building: LiveData['building'], name: string, seq: number) => ((building[name]?.seq ?? Infinity) <= seq ? without(building, name) : building);

export const createLiveSlice: StateCreator<AppState, [], [], LiveSlice> = (set, get) => {
  // Only a real change is set: each build's notice arrives as the page fetches its bytes, and a
  // new `live` object there re-rendered the Status panel on the push's path.
  const patch = (values: Partial<LiveData>) => {
    const { live } = get();
    if ((Object.keys(values) as (keyof LiveData)[]).every((key) => live[key] === values[key])) return;
    set((state) => ({ live: { ...state.live, ...values } }));
  };
  return {
    live: {
      connection: 'off',
      building: {},
      failures: {},
      connecting: () => patch({ connection: 'connecting' }),
      apply: (event) => {
        const { live } = get();
        switch (event.type) {
          case 'connection':
            patch({ connection: event.connected ? 'connected' : 'disconnected' });
            break;
          case 'building':
            patch({ building: { ...live.building, [event.notice.name]: event.notice } });
            break;
          case 'build': {
            // A good build ends its own building entry (not a later build's: a page that connects
            // mid-build is told of the build under way, then of the last one), and the failure
            // before it (not one after it: a late page is told both).
            const { name, seq } = event.notice;
            const failure = live.failures[name];
            patch({ building: ended(live.building, name, seq), failures: failure && failure.seq > seq ? live.failures : without(live.failures, name) });
            break;
          }
          case 'failed': {
            const { failure } = event;
            if (live.failures[failure.name]?.seq === failure.seq) break; // told again after a reconnect
            patch({ building: ended(live.building, failure.name, failure.seq), failures: { ...live.failures, [failure.name]: failure } });
            const output = get().console;
            output.seal();
            output.append('stderr', `build #${failure.seq} of ${failure.name} failed: ${failure.message}\n${failure.output}${failure.output.endsWith('\n') || !failure.output ? '' : '\n'}`, failure.name);
            break;
          }
          case 'pushed':
          case 'error':
            break; // a refusal reaches the page through the engine's own error path
          default: {
            const check: never = event;
            void check;
          }
        }
      },
    },
  };
};
