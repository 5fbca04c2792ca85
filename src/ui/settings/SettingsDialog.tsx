/**
 * Settings: the engine's settings (the Config panel) in a modal dialog opened from the header,
 * so that they take no room from the work until they are wanted. A native <dialog> opened with
 * showModal(): the page behind is inert, Escape closes it, and the focus goes back to the
 * button that opened it. Its content stays mounted while closed, so a draft is not lost.
 */
import { useId, useRef } from 'react';
import { ConfigPanel } from '../config/ConfigPanel';

export function SettingsButton() {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const close = () => dialog.current?.close();
  return (
    <>
      <button ref={opener} type="button" className="button" aria-haspopup="dialog" onClick={() => dialog.current?.showModal()}>
        Settings
      </button>
      <dialog
        ref={dialog}
        className="settings-dialog"
        aria-labelledby={titleId}
        onClose={() => opener.current?.focus()}
        // A click on the backdrop (the dialog element itself, outside its content) closes it.
        onClick={(event) => {
          if (event.target === dialog.current) close();
        }}
      >
        <div className="settings-content">
          <div className="settings-header">
            <h2 id={titleId}>Settings</h2>
            <button type="button" className="button" onClick={close}>
              Close
            </button>
          </div>
          <ConfigPanel />
        </div>
      </dialog>
    </>
  );
}
