// @vitest-environment happy-dom
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it } from 'vitest';
import { useProgressive } from './progressive';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

describe('useProgressive', () => {
  it('renders the first items at once and the whole list in the render after; a list that grows by a few is shown whole in one render', async () => {
    const seen: number[] = [];
    function List({ items }: { items: readonly number[] }) {
      const rendered = useProgressive(items, 3);
      seen.push(rendered.length);
      return <ol>{rendered.map((i) => <li key={i}>{i}</li>)}</ol>;
    }
    const host = document.createElement('div');
    const root = createRoot(host);
    await act(async () => root.render(<List items={[]} />));
    seen.length = 0;
    const ten = Array.from({ length: 10 }, (_, i) => i);
    await act(async () => root.render(<List items={ten} />));
    expect(seen).toEqual([3, 10]);
    expect(host.querySelectorAll('li')).toHaveLength(10);
    seen.length = 0;
    await act(async () => root.render(<List items={[10, ...ten]} />));
    expect(seen).toEqual([11]); // the new one at once with the others, and no second render
    seen.length = 0;
    const thirty = Array.from({ length: 30 }, (_, i) => i + 100);
    await act(async () => root.render(<List items={[...thirty, 10, ...ten]} />));
    expect(seen).toEqual([11, 41]); // many more: what was shown, then the whole list deferred
    await act(async () => root.render(<List items={[1, 2]} />));
    expect(host.querySelectorAll('li')).toHaveLength(2);
    root.unmount();
  });
});
