import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

export interface Flash {
  shown: boolean;
  /** Show it now, for `ms` at least. */
  flash(): void;
  /** The control it belongs to has the focus (true) or lost it: it stays while the control has it. */
  hold(on: boolean): void;
}

/**
 * A mark shown for a moment after something happened ("✓ Copied"): `ms` after it, or once the
 * control it belongs to loses the focus if that comes later, so that it is not gone before
 * the eye (or a busy page) gets to it.
 */
export function useFlash(ms = 2000): Flash {
  const [shown, setShown] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const held = useRef(false);
  const due = useRef(false);
  useEffect(() => () => clearTimeout(timer.current), []);
  const flash = useCallback(() => {
    setShown(true);
    due.current = false;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      if (held.current) due.current = true;
      else setShown(false);
    }, ms);
  }, [ms]);
  const hold = useCallback((on: boolean) => {
    held.current = on;
    if (!on && due.current) {
      due.current = false;
      setShown(false);
    }
  }, []);
  return useMemo(() => ({ shown, flash, hold }), [shown, flash, hold]);
}
