/**
 * Examples: a button in the header opening a menu of the bundled guests (./examples.ts). A
 * native popover: Escape or a click outside closes it, and the next Tab after the button goes
 * into it. Choosing one loads it as a URL would load it, and closes the menu.
 */
import { useId, useRef } from 'react';
import { useEngine } from '../common/context';
import { startLoad } from '../common/load';
import { EXAMPLES, type Example } from './examples';

export function ExamplesMenu() {
  const engine = useEngine();
  const id = useId();
  const menu = useRef<HTMLDivElement>(null);
  const open = (example: Example) => {
    menu.current?.hidePopover();
    // A failure reaches the page's alert through the bridge.
    void startLoad(engine, example.url, example.name ? { name: example.name } : {});
  };
  return (
    <>
      <button type="button" className="button" popoverTarget={id}>
        Examples
      </button>
      <div ref={menu} id={id} popover="auto" role="dialog" aria-label="Examples" className="examples-menu">
        {EXAMPLES.map((group) => (
          <div key={group.heading} className="examples-group">
            <h2>{group.heading}</h2>
            <ul>
              {group.examples.map((example) => (
                <li key={example.label}>
                  <button type="button" onClick={() => open(example)}>
                    <span className="example-label">{example.label}</span>
                    <span className="example-note">{example.note}</span>
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
    </>
  );
}
