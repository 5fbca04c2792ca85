/** The words of refusals: one sentence each, ended once, with the way out for the one who reads it. */
import { describe, expect, it } from 'vitest';
import { type Audience, type Refusal, type RefusalCode, type RefusalStory, isRefusalStory, refusalMessage, refusalText, sentence } from './refusal';

/** One refusal of every code (a code added to Refusal without one here fails to compile). */
const SAMPLES: { [C in RefusalCode]: Extract<Refusal, { code: C }> } = {
  'load-failed': { step: 'stage', code: 'load-failed', detail: { message: 'counter is not a valid WebAssembly module: expected magic word.', error: 'invalid-module' } },
  'bytes-changed': { step: 'check', code: 'bytes-changed', detail: { version: 'v1', expected: 'a'.repeat(64), actual: 'b'.repeat(64) } },
  'sha-mismatch': { step: 'check', code: 'sha-mismatch', detail: { source: 'counter.wasm', expected: 'a'.repeat(64), actual: 'b'.repeat(64) } },
  'label-taken': { step: 'check', code: 'label-taken', detail: { version: 'v2', sha256: 'c'.repeat(64) } },
  'lost-exports': { step: 'exports', code: 'lost-exports', detail: { version: 'v2', serving: 'v1', lost: ['get'] } },
  'api-major': { step: 'api version', code: 'api-major', detail: { version: 'v2', next: '2.0.0', current: '1.0.0', nextMajor: 2, currentMajor: 1 } },
  'over-budget': { step: 'benchmark', code: 'over-budget', detail: { ms: 12.5, budgetMs: 10 } },
  'save-failed': { step: 'shadow check', code: 'save-failed', detail: { version: 'v1', message: 'save_state trapped: unreachable' } },
  'restore-failed': { step: 'cutover', code: 'restore-failed', detail: { version: 'v2', message: 'restore_state trapped.' } },
  'restore-refused': { step: 'cutover', code: 'restore-refused', detail: { version: 'v2', answered: 2 } },
  'health-failed': { step: 'shadow check', code: 'health-failed', detail: { version: 'v2', message: 'health_check did not return within 500 ms (validation_timeout_ms).' } },
  unhealthy: { step: 'shadow check', code: 'unhealthy', detail: { version: 'v2', answer: 'degraded.' } },
  'no-restore-state': { step: 'shadow check', code: 'no-restore-state', detail: { version: 'v1' } },
  'state-refused': { step: 'shadow check', code: 'state-refused', detail: { version: 'v1', answered: 1, bytes: 8 } },
  'other-version': { step: 'check', code: 'other-version', detail: { expected: 'v1', serving: 'v2' } },
  'serving-changed': { step: 'cutover', code: 'serving-changed', detail: { version: 'v1' } },
  failed: { step: 'benchmark', code: 'failed', detail: { message: 'counter is not running: it failed. Restart it or load it again.', error: 'worker-died' } },
};

const AUDIENCES: Audience[] = ['api', 'ui', 'status'];
const stories = Object.values(SAMPLES).flatMap((refusal): RefusalStory[] => [
  { subject: 'counter v2', keeper: 'v1', untouched: false, refusal },
  { subject: 'The state given to counter v1', keeper: 'v1', untouched: true, refusal },
  { subject: 'counter v1', keeper: null, untouched: false, refusal },
]);

describe('refusal words', () => {
  it.each(Object.keys(SAMPLES))('%s: no sentence is ended twice, for any reader', (code) => {
    for (const story of stories.filter((s) => s.refusal.code === code)) {
      for (const audience of AUDIENCES) {
        const text = refusalMessage(story, audience);
        expect(text).not.toMatch(/\.\./);
        expect(text).not.toMatch(/[.!?]\s*[.!?]/);
        expect(text).toMatch(/[^.!?][.!?]$/);
      }
      // The cause alone goes after "was refused …: " and into the record: no full stop of its own to double.
      expect(refusalText(story.refusal)).not.toMatch(/\.\.|[.!?]\s*[.!?]/);
    }
  });

  it('names who was refused, where, why, and who keeps serving', () => {
    const story: RefusalStory = { subject: 'counter v2', keeper: 'v1', untouched: false, refusal: SAMPLES['restore-refused'] };
    expect(refusalMessage(story)).toBe('counter v2 was refused at the cutover: restore_state of v2 refused the final state (it answered 2). v1 keeps serving.');
    expect(refusalMessage({ ...story, subject: 'The state given to counter v1', untouched: true, refusal: SAMPLES['state-refused'] })).toBe(
      'The state given to counter v1 was refused in its trial run (the shadow check): restore_state of v1 refused the 8 bytes of state given (it answered 1). v1 keeps serving, untouched.',
    );
    expect(refusalMessage({ ...story, keeper: null, refusal: SAMPLES['load-failed'] })).toBe('counter v2 was refused while loading: counter is not a valid WebAssembly module: expected magic word.');
  });

  it('tells a program the option that gets past an API major refusal, and a person the button; the status neither', () => {
    for (const refusal of [SAMPLES['api-major'], SAMPLES['lost-exports']]) {
      const story: RefusalStory = { subject: 'counter v2', keeper: 'v1', untouched: false, refusal };
      expect(refusalMessage(story, 'api')).toMatch(/\. v1 keeps serving\. To replace it anyway with fresh state, load it with \{ fresh: true \}\.$/);
      expect(refusalMessage(story, 'ui')).toMatch(/\. v1 keeps serving\. To replace it anyway, with its state reset, choose Load it fresh\.$/);
      expect(refusalMessage(story, 'ui')).not.toContain('fresh: true');
      expect(refusalMessage(story, 'status')).toMatch(/\. v1 keeps serving\.$/);
    }
    expect(refusalMessage({ subject: 'counter v2', keeper: 'v1', untouched: false, refusal: SAMPLES['over-budget'] }, 'ui')).not.toMatch(/fresh/i);
  });

  it('ends a cause once, whether or not it ends with its own full stop', () => {
    expect(sentence('it failed')).toBe('it failed.');
    expect(sentence('Restart it or load it again. ')).toBe('Restart it or load it again.');
    expect(sentence('did it?')).toBe('did it?');
  });

  it('reads a story back only when it has the shape refusalMessage needs', () => {
    const story: RefusalStory = { subject: 'counter v2', keeper: 'v1', untouched: false, refusal: SAMPLES['api-major'] };
    expect(isRefusalStory(structuredClone(story))).toBe(true);
    expect(isRefusalStory({ ...story, refusal: { ...story.refusal, step: 'toString' } })).toBe(false);
    expect(isRefusalStory({ ...story, refusal: { ...story.refusal, code: 'no-such-code' } })).toBe(false);
    expect(isRefusalStory({ ...story, keeper: 1 })).toBe(false);
    expect(isRefusalStory('counter v2 was refused')).toBe(false);
  });
});
