// @vitest-environment happy-dom
/** A panel whose render throws is replaced by a landmark of the same name saying so; the rest goes on. */
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it, vi } from 'vitest';
import { PanelBoundary } from './PanelBoundary';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let fail = true;
function Flaky() {
  if (fail) throw new Error('no module handle');
  return <section aria-label="Deploy">fine</section>;
}

describe('a panel that fails to render', () => {
  it('keeps its landmark, says what failed, leaves its neighbours, and can be shown again', async () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const host = document.createElement('div');
    document.body.append(host);
    const root = createRoot(host);
    await act(async () =>
      root.render(
        <>
          <PanelBoundary name="Deploy">
            <Flaky />
          </PanelBoundary>
          <section aria-label="History">history</section>
        </>,
      ),
    );
    const deploy = host.querySelector('section[aria-label="Deploy"]')!;
    expect(deploy.querySelector('[role="alert"]')!.textContent).toContain('This panel failed to show: no module handle.');
    expect(host.querySelector('section[aria-label="History"]')!.textContent).toBe('history');
    fail = false;
    await act(async () => (deploy.querySelector('button') as HTMLButtonElement).click());
    expect(host.querySelector('section[aria-label="Deploy"]')!.textContent).toBe('fine');
    quiet.mockRestore();
    await act(async () => root.unmount());
  });
});
