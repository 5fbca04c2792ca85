import { describe, expect, it } from 'vitest';
import { devEvent, moduleUrl, parseDevEvent, type BuildNotice } from './dev-events';

const sha = 'ab'.repeat(32);
const build: BuildNotice = { name: 'counter', seq: 3, sha256: sha, size: 1207, url: moduleUrl(sha), builtAt: 1700000000000, durationMs: 12, source: 'build' };

describe('dev events', () => {
  it('accepts each event of the protocol and narrows it by name', () => {
    const parsed = parseDevEvent('hotwasm:build', JSON.parse(JSON.stringify(build)));
    expect(parsed).toEqual({ ok: true, value: devEvent('hotwasm:build', build) });
    if (parsed.ok && parsed.value.event === 'hotwasm:build') expect(parsed.value.data.sha256).toBe(sha);
    expect(parseDevEvent('hotwasm:building', { name: 'counter', seq: 1, startedAt: 5 }).ok).toBe(true);
    const failure = { name: 'counter', seq: 2, code: 'timeout', message: 'killed', output: 'x', exitCode: null, signal: 'SIGTERM', durationMs: 9 };
    expect(parseDevEvent('hotwasm:build-failed', failure)).toEqual({ ok: true, value: { event: 'hotwasm:build-failed', data: failure } });
    expect(parseDevEvent('hotwasm:sync', undefined)).toEqual({ ok: true, value: { event: 'hotwasm:sync', data: {} } });
    expect(parseDevEvent('hotwasm:sync', { names: ['a', 'b'] }).ok).toBe(true);
    const state = { session: 's', modules: [{ name: 'counter', building: null, lastBuild: build, lastError: failure }] };
    expect(parseDevEvent('hotwasm:state', state)).toEqual({ ok: true, value: { event: 'hotwasm:state', data: state } });
  });

  it('drops unknown fields', () => {
    const parsed = parseDevEvent('hotwasm:building', { name: 'a', seq: 1, startedAt: 2, bytes: [1, 2, 3] });
    expect(parsed).toEqual({ ok: true, value: { event: 'hotwasm:building', data: { name: 'a', seq: 1, startedAt: 2 } } });
  });

  it('refuses shapes that do not match, naming the field', () => {
    expect(parseDevEvent('hotwasm:nope', {})).toEqual({ ok: false, error: '"hotwasm:nope" is not a hotwasm event' });
    expect(parseDevEvent('toString', {}).ok).toBe(false);
    expect(parseDevEvent('hotwasm:build', null)).toEqual({ ok: false, error: 'hotwasm:build: data is not an object' });
    expect(parseDevEvent('hotwasm:build', { ...build, seq: -1 })).toMatchObject({ ok: false, error: expect.stringContaining('seq') });
    expect(parseDevEvent('hotwasm:build', { ...build, sha256: 'AB'.repeat(32) })).toMatchObject({ ok: false, error: expect.stringContaining('sha256') });
    expect(parseDevEvent('hotwasm:build', { ...build, name: '../etc' })).toMatchObject({ ok: false, error: expect.stringContaining('module name') });
    expect(parseDevEvent('hotwasm:build-failed', { ...build, code: 'nope' })).toMatchObject({ ok: false, error: expect.stringContaining('code') });
    expect(parseDevEvent('hotwasm:sync', { names: 'a' })).toMatchObject({ ok: false });
  });

  it('accepts only the URL the sha256 names, so a page never fetches elsewhere', () => {
    for (const url of ['https://evil.test/x.wasm', `//evil.test${moduleUrl(sha)}`, moduleUrl('cd'.repeat(32))]) {
      expect(parseDevEvent('hotwasm:build', { ...build, url })).toMatchObject({ ok: false, error: expect.stringContaining('url') });
    }
  });
});
