/**
 * Run `fn` with the next frame, where the bridge applies engine events to the store: work that
 * shows something after an update, done then, is drawn in the same frame as the update itself
 * (one style, layout and paint, not one each). A hidden tab gets no frames: a timer then.
 */
export function nextFrame(fn: () => void): void {
  if (document.hidden) setTimeout(fn, 0);
  else requestAnimationFrame(() => fn());
}
