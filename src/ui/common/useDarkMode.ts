import { useSyncExternalStore } from 'react';

let media: MediaQueryList | null = null;
/** One MediaQueryList for the page: getSnapshot runs at every render of every user. */
const query = () => (media ??= window.matchMedia('(prefers-color-scheme: dark)'));

/** Whether the user prefers a dark colour scheme (follows changes). */
export function useDarkMode(): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const media = query();
      media.addEventListener('change', onChange);
      return () => media.removeEventListener('change', onChange);
    },
    () => query().matches,
    () => false,
  );
}
