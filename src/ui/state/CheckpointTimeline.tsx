/**
 * Rewind: the recent checkpoints, newest first (time, size, version, calls), one tab stop with
 * ArrowUp/ArrowDown, Home and End between them; choosing one rewinds the serving version to it.
 *
 * Checkpoints of another version are offered only once the serving version's restore_state is
 * known to take them: the newest checkpoint of each other version is probed (engine.probeState:
 * a throwaway instance, nothing changes), and the answer holds for that version's checkpoints,
 * which share its format. A rewind that is refused anyway marks them refused, with why.
 */
import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import type { CheckpointInfo, ModuleInfo } from '../../store';
import { useEngine } from '../common/context';
import { formatCount, formatError, formatTime } from '../common/format';
import type { StartAction } from './StatePanel';

/** What the serving version said of another version's checkpoints. */
type Verdict = { state: 'checking' } | { state: 'accepted' } | { state: 'refused'; reason: string };

const NAV_KEYS = new Set(['ArrowDown', 'ArrowUp', 'Home', 'End']);
/** How long updates must pause before other versions' checkpoints are probed. */
const PROBE_QUIET_MS = 1500;
/** Other versions probed per serving version (the newest ones); older ones wait for the user to come to the list. */
const MAX_PROBES = 4;

export function CheckpointTimeline({ module, checkpoints, startAction }: { module: ModuleInfo; checkpoints: readonly CheckpointInfo[]; startAction: StartAction }) {
  const engine = useEngine();
  const newestFirst = useMemo(() => [...checkpoints].reverse(), [checkpoints]);
  const [verdicts, setVerdicts] = useState<Record<string, Verdict>>({});
  const asked = useRef(new Set<string>());
  const [focused, setFocused] = useState<number | null>(null);
  const [rewinding, setRewinding] = useState(false);
  const listRef = useRef<HTMLOListElement>(null);
  const serving = module.sha256;
  /** A verdict is the serving version's about another version's checkpoints. */
  const key = (sha256: string) => `${serving}|${sha256}`;

  // The newest checkpoint of each other version, probed once per serving version — one probe at
  // a time, newest versions first, and only once updates have paused (PROBE_QUIET_MS) or the
  // user comes to the list: a probe stages a throwaway instance in a worker, and while a user
  // types in the Source panel every keystroke is a version, whose updates the probes would slow.
  const [eager, setEager] = useState(false);
  const newestOf = useMemo(() => {
    const newest = new Map<string, CheckpointInfo>();
    for (const c of newestFirst) if (c.sha256 !== serving && !newest.has(c.sha256)) newest.set(c.sha256, c);
    return newest;
  }, [newestFirst, serving]);
  // The probes wait for a pause in updates, not in checkpoints (taken every second while calls run).
  const others = [...newestOf.keys()].join(' ');
  const latestNewest = useRef(newestOf);
  useEffect(() => {
    latestNewest.current = newestOf;
  }, [newestOf]);
  useEffect(() => {
    if (others === '') return;
    let stopped = false;
    const run = async () => {
      const waiting = [...latestNewest.current].filter(([sha]) => !asked.current.has(`${serving}|${sha}`)).slice(0, eager ? undefined : MAX_PROBES);
      for (const [sha, c] of waiting) {
        const k = `${serving}|${sha}`;
        if (stopped || asked.current.has(k)) continue;
        asked.current.add(k);
        const handle = engine.module(module.name);
        const bytes = handle.checkpointState(c.seq);
        if (!bytes) continue;
        setVerdicts((v) => ({ ...v, [k]: { state: 'checking' } }));
        await handle.probeState(bytes).then(
          (probe) => setVerdicts((v) => ({ ...v, [k]: probe.accepted ? { state: 'accepted' } : { state: 'refused', reason: probe.reason ?? 'refused' } })),
          (error: unknown) => setVerdicts((v) => ({ ...v, [k]: { state: 'refused', reason: (error as Error).message } })),
        );
      }
    };
    const timer = setTimeout(() => void run(), eager ? 0 : PROBE_QUIET_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [engine, module.name, others, serving, eager]);

  const verdictOf = (c: CheckpointInfo): Verdict | null => (c.sha256 === serving ? null : (verdicts[key(c.sha256)] ?? { state: 'checking' }));

  const rewind = async (c: CheckpointInfo) => {
    const report = startAction();
    setRewinding(true);
    try {
      await engine.module(module.name).rewind(c.seq);
      report({ text: `Rewound ${module.name} ${module.version} to checkpoint ${c.seq} of ${formatTime(c.at)} (${c.bytes} bytes of ${c.version})`, error: false });
    } catch (error) {
      const reason = formatError(error);
      if (c.sha256 !== serving) setVerdicts((v) => ({ ...v, [key(c.sha256)]: { state: 'refused', reason } }));
      report({ text: reason, error: true });
    } finally {
      setRewinding(false);
    }
  };

  const tabStop = focused !== null && focused < newestFirst.length ? focused : 0;
  const onKeyDown = (event: KeyboardEvent<HTMLOListElement>) => {
    if (!NAV_KEYS.has(event.key) || newestFirst.length === 0) return;
    const last = newestFirst.length - 1;
    const next = event.key === 'Home' ? 0 : event.key === 'End' ? last : Math.min(last, Math.max(0, tabStop + (event.key === 'ArrowDown' ? 1 : -1)));
    event.preventDefault();
    setFocused(next);
    listRef.current?.querySelectorAll('button')[next]?.focus();
  };

  // Which other versions' checkpoints the serving version takes, said once per version.
  const notes = useMemo(() => {
    const seen = new Map<string, string>();
    for (const c of newestFirst) if (c.sha256 !== serving && !seen.has(c.sha256)) seen.set(c.sha256, c.version);
    return [...seen].map(([sha, version]) => ({ sha, version, verdict: verdicts[`${serving}|${sha}`] ?? ({ state: 'checking' } as Verdict) }));
  }, [newestFirst, serving, verdicts]);

  return (
    <div className="state-timeline">
      <h3>Rewind</h3>
      {newestFirst.length === 0 ? (
        <p className="empty">No checkpoints yet: one is taken after calls (every checkpoint_interval_ms at most), after each update, and on Read state.</p>
      ) : (
        <>
          {notes.map(({ sha, version, verdict }) => (
            <p key={sha} className="muted">
              Checkpoints of {version}:{' '}
              {verdict.state === 'checking' ? `checking whether ${module.version} takes them…` : verdict.state === 'accepted' ? `${module.version}'s restore_state accepts them.` : `refused by ${module.version}: ${verdict.reason}`}
            </p>
          ))}
          <ol className="checkpoint-list" aria-label="Checkpoints, newest first" ref={listRef} onKeyDown={onKeyDown} onFocus={() => setEager(true)}>
            {newestFirst.map((c, i) => {
              const verdict = verdictOf(c);
              const offered = verdict === null || verdict.state === 'accepted';
              const what = `${formatTime(c.at)}, ${c.bytes} bytes, ${c.version}, ${formatCount(c.calls)} ${c.calls === 1 ? 'call' : 'calls'}`;
              return (
                <li key={c.seq}>
                  <button
                    type="button"
                    tabIndex={i === tabStop ? 0 : -1}
                    aria-disabled={!offered || rewinding}
                    aria-label={`Rewind to checkpoint ${c.seq}: ${what}${offered ? '' : verdict.state === 'checking' ? ' (checking)' : ' (refused)'}`}
                    onFocus={() => setFocused(i)}
                    onClick={() => {
                      if (offered && !rewinding) void rewind(c);
                    }}
                  >
                    <span>{formatTime(c.at)}</span> <span>{c.bytes} B</span> <span>{c.version}</span> <span className="muted">
                      {formatCount(c.calls)} {c.calls === 1 ? 'call' : 'calls'}
                    </span>
                    {!offered && <span className="muted"> — {verdict.state === 'checking' ? 'checking…' : 'refused'}</span>}
                  </button>
                </li>
              );
            })}
          </ol>
        </>
      )}
    </div>
  );
}
