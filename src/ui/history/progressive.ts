import { useDeferredValue } from 'react';

/**
 * A long list shown in two renders: its first `first` items at once, the whole list in a
 * deferred render right after (React renders it in slices, yielding to the page's other work
 * between them, and drops it if the list changes again first). The items beyond `first` are
 * scrolled out of view at first anyway. A page opened again shows up to 100 records at once, and
 * their render and layout held back the module it was bringing back (traced: 30 ms for 50 records
 * on the benchmark machine, while that module's bytes had been read).
 */
export function useProgressive<T>(items: readonly T[], first: number): readonly T[] {
  // The length the deferred render has caught up with: the previous one while it runs.
  const caughtUp = useDeferredValue(items.length);
  const count = Math.max(Math.min(items.length, first), caughtUp);
  return count >= items.length ? items : items.slice(0, count);
}
