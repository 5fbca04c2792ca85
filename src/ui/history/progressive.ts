import { useDeferredValue, useEffect, useRef } from 'react';

/**
 * A long list shown in two renders: its first `first` items at once, the whole list in a
 * deferred render right after (React renders it in slices, yielding to the page's other work
 * between them, and drops it if the list changes again first). The items beyond `first` are
 * scrolled out of view at first anyway. A page opened again shows up to 100 records at once, and
 * their render and layout held back the module it was bringing back (traced: 30 ms for 50 records
 * on the benchmark machine, while that module's bytes had been read).
 *
 * A list that grows by a few items (at most `first`) beyond what it last showed whole, as at
 * each update, is shown whole at once, in one render: a second, deferred render of the whole
 * list (and a second frame) after every update was most of the History panel's work then.
 */
export function useProgressive<T>(items: readonly T[], first: number): readonly T[] {
  // The length last shown whole.
  const whole = useRef(0);
  // The deferred value last seen: asked for again while nothing is deferred, so that React has
  // nothing to catch up with (a new value, even one not used, costs a render).
  const last = useRef(-1);
  const few = items.length <= whole.current + first;
  const caughtUp = useDeferredValue(few ? last.current : items.length);
  last.current = caughtUp;
  const count = few || caughtUp === items.length ? items.length : Math.min(items.length, Math.max(first, whole.current));
  useEffect(() => {
    if (count === items.length) whole.current = count;
  });
  return count >= items.length ? items : items.slice(0, count);
}
