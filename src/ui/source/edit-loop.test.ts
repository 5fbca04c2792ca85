import { describe, expect, it } from 'vitest';
import { EditLoop, type ApplyOutcome, type CompileOutcome, type EditEvent } from './edit-loop';

/** A promise settled from outside: the test decides when a compile or an update ends. */
function gate<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

function harness() {
  const compiles: { text: string; done: ReturnType<typeof gate<CompileOutcome>> }[] = [];
  const applies: { text: string; done: ReturnType<typeof gate<ApplyOutcome>> }[] = [];
  const events: EditEvent[] = [];
  const loop = new EditLoop({
    compile(text) {
      const done = gate<CompileOutcome>();
      compiles.push({ text, done });
      return done.promise;
    },
    apply(_bytes, text) {
      const done = gate<ApplyOutcome>();
      applies.push({ text, done });
      return done.promise;
    },
    report: (event) => events.push(event),
  });
  const built = (n: number): CompileOutcome => ({ ok: true, bytes: new Uint8Array([n]), ms: 1 });
  return { loop, compiles, applies, events, built };
}

describe('EditLoop', () => {
  it('compiles, applies, and reports the version serving', async () => {
    const { loop, compiles, applies, events, built } = harness();
    loop.edit('a');
    compiles[0]!.done.resolve(built(1));
    await flush();
    expect(applies.map((a) => a.text)).toEqual(['a']);
    applies[0]!.done.resolve({ ok: true, version: 'v2', sha256: 'sha-1', ms: 3 });
    await flush();
    expect(events.map((e) => e.phase)).toEqual(['compiling', 'updating', 'served', 'idle']);
    expect(loop.busy).toBe(false);
  });

  it('runs one build at a time; of the edits made meanwhile only the newest is built', async () => {
    const { loop, compiles, applies, built } = harness();
    loop.edit('first');
    for (let i = 0; i < 50; i++) loop.edit(`edit ${i}`);
    expect(compiles.map((c) => c.text)).toEqual(['first']);
    compiles[0]!.done.resolve(built(1));
    await flush();
    // A newer text waits: the first build is dropped rather than served for a moment.
    expect(applies).toEqual([]);
    expect(compiles.map((c) => c.text)).toEqual(['first', 'edit 49']);
    compiles[1]!.done.resolve(built(2));
    await flush();
    expect(applies.map((a) => a.text)).toEqual(['edit 49']);
  });

  it('never applies a build before the update ahead of it has settled', async () => {
    const { loop, compiles, applies, built } = harness();
    loop.edit('one');
    compiles[0]!.done.resolve(built(1));
    await flush();
    loop.edit('two');
    await flush();
    // The update of "one" still runs: "two" is not even compiled yet.
    expect(compiles).toHaveLength(1);
    applies[0]!.done.resolve({ ok: true, version: 'v2', sha256: 'sha-1', ms: 1 });
    await flush();
    compiles[1]!.done.resolve(built(2));
    await flush();
    expect(applies.map((a) => a.text)).toEqual(['one', 'two']);
  });

  it('reports a compile error with its problems and applies nothing', async () => {
    const { loop, compiles, applies, events } = harness();
    loop.edit('(module');
    compiles[0]!.done.resolve({ ok: false, message: 'x.wat:1:8: error: unexpected token EOF', diagnostics: [{ line: 1, column: 8, endLine: 1, endColumn: 9, message: 'unexpected token EOF' }] });
    await flush();
    expect(applies).toEqual([]);
    expect(events[1]).toMatchObject({ phase: 'compile failed', problems: [{ line: 1, column: 8 }] });
  });

  it('reports a refusal of the pipeline, and a compiler that throws, as values', async () => {
    const { loop, compiles, applies, events, built } = harness();
    loop.edit('a');
    compiles[0]!.done.resolve(built(1));
    await flush();
    applies[0]!.done.resolve({ ok: false, message: 'counter v2 was refused at the exports check: save_state is gone' });
    await flush();
    expect(events.find((e) => e.phase === 'refused')).toMatchObject({ message: 'counter v2 was refused at the exports check: save_state is gone' });
    loop.edit('b');
    compiles[1]!.done.promise.catch(() => undefined);
    compiles[1]!.done.resolve(Promise.reject(new Error('worker died')) as never);
    await flush();
    expect(events.at(-2)).toMatchObject({ phase: 'compile failed', message: 'worker died' });
  });

  it('starts nothing once stopped', async () => {
    const { loop, compiles, built } = harness();
    loop.edit('a');
    loop.edit('b');
    loop.stop();
    compiles[0]!.done.resolve(built(1));
    await flush();
    loop.edit('c');
    expect(compiles.map((c) => c.text)).toEqual(['a']);
  });
});
