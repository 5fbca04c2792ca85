import { useCallback, useEffect, useRef, useState } from 'react';

/** A mark shown for a moment after something happened ("✓ Copied"): `[shown, flash]`. */
export function useFlash(ms = 2000): [boolean, () => void] {
  const [shown, setShown] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const flash = useCallback(() => {
    setShown(true);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setShown(false), ms);
  }, [ms]);
  return [shown, flash];
}
