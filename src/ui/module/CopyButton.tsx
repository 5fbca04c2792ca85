import { selectNoticeActions } from '../../store';
import { useAppStore } from '../common/context';

/** Copy text to the clipboard and say so in the status region. */
export function CopyButton({ text, label, copied }: { text: string; label: string; copied: string }) {
  const notices = useAppStore(selectNoticeActions);
  const copy = async () => {
    try {
      await copyText(text);
      notices.announce(copied);
    } catch (error) {
      notices.reportError(new Error(`Could not copy to the clipboard: ${error instanceof Error ? error.message : String(error)}`), 'copy');
    }
  };
  return (
    <button type="button" className="button button-small" onClick={copy}>
      {label}
    </button>
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
