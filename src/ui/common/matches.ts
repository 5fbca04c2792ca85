/** Long lists shown a part at a time: how many are shown, of how many, in words. */

/** Items a list renders at once: a <select> of 100,000 options took 66 s to render, 10,000 1.2 s. */
export const LIST_LIMIT = 200;

// One formatter: toLocaleString() makes a new one at every call.
const counts = new Intl.NumberFormat('en-US');
const count = (n: number) => counts.format(n);

export interface MatchCount {
  /** The filter as typed. */
  query: string;
  shown: number;
  /** Items that match the filter (all of them when it is empty). */
  total: number;
  /** Items in the list. */
  all: number;
  /** The item in words, singular and plural: ['export', 'exports']. */
  noun: readonly [string, string];
}

/** "Showing 200 of 100,000 exports — type to filter", "3 of 120 exports match", "No export matches “x”". */
export function matchCountText({ query, shown, total, all, noun: [one, many] }: MatchCount): string {
  const q = query.trim();
  if (q === '') return shown < total ? `Showing ${count(shown)} of ${count(total)} ${many} — type to filter` : `${count(all)} ${all === 1 ? one : many}`;
  if (total === 0) return `No ${one} matches “${q}”`;
  if (shown < total) return `Showing ${count(shown)} of ${count(total)} matches — type more to narrow`;
  return `${count(total)} of ${count(all)} ${many} ${total === 1 ? 'matches' : 'match'}`;
}
