import { describe, expect, it } from 'vitest';
import { matchCountText } from './matches';

const noun = ['export', 'exports'] as const;

describe('matchCountText', () => {
  it('says what part of the list shows, and how to see the rest', () => {
    expect(matchCountText({ query: '', shown: 200, total: 100_000, all: 100_000, noun })).toBe('Showing 200 of 100,000 exports — type to filter');
    expect(matchCountText({ query: '', shown: 30, total: 30, all: 30, noun })).toBe('30 exports');
    expect(matchCountText({ query: ' fn ', shown: 200, total: 5000, all: 100_000, noun })).toBe('Showing 200 of 5,000 matches — type more to narrow');
    expect(matchCountText({ query: 'fn', shown: 1, total: 1, all: 100_000, noun })).toBe('1 of 100,000 exports matches');
    expect(matchCountText({ query: 'fn', shown: 10, total: 10, all: 100_000, noun })).toBe('10 of 100,000 exports match');
    expect(matchCountText({ query: 'zz', shown: 0, total: 0, all: 100_000, noun })).toBe('No export matches “zz”');
  });
});
