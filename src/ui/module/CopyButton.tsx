import { selectNoticeActions } from '../../store';
import { useAppStore } from '../common/context';
import { useFlash } from '../common/useFlash';

/**
 * Copy text to the clipboard and say so: in the status region (announced), and with a
 * "Copied" beside the button for a moment, where the eye is.
 */
export function CopyButton({ text, label, copied }: { text: string; label: string; copied: string }) {
  const notices = useAppStore(selectNoticeActions);
  const copiedMark = useFlash();
  const copy = async () => {
    try {
      await copyText(text);
      notices.announce(copied);
      copiedMark.flash();
    } catch (error) {
      notices.reportError(new Error(`Could not copy to the clipboard: ${error instanceof Error ? error.message : String(error)}`), 'copy');
    }
  };
  return (
    <>
      <button type="button" className="button button-small" onClick={copy} onFocus={() => copiedMark.hold(true)} onBlur={() => copiedMark.hold(false)}>
        {label}
      </button>
      {/* The notice says it to screen readers; this is for the eye. */}
      {copiedMark.shown && (
        <span className="copied" aria-hidden="true">
          ✓ Copied
        </span>
      )}
    </>
  );
}

export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    try {
      return await navigator.clipboard.writeText(text);
    } catch {
      // Denied (or not a secure context): fall back to a selection copy below.
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('the browser refused');
}
