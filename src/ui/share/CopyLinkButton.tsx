/**
 * Copy link: a URL that reopens the playground on this module and this call (./share-link.ts).
 * A module loaded from a URL is named by it; any other (dropped, edited in Source, pushed) goes
 * in as its WebAssembly text — the text the Source panel shows — when it fits in a link.
 */
import { type Engine, type ModuleInfo, selectNoticeActions } from '../../store';
import { useAppStore, useEngine } from '../common/context';
import { urlOfBuild } from '../common/load';
import { useFlash } from '../common/useFlash';
import { copyText } from '../module/CopyButton';
import { openText } from '../source/useSourceSession';
import { type Encoded, type ShareRequest, encodeShare } from './share-link';

/** The link for `module` and, when given, the call of `fn` with `arg`. */
export async function shareLink(engine: Engine, module: ModuleInfo, fn: string | null, arg: string | null, page: Location = window.location): Promise<Encoded> {
  const request: ShareRequest = {};
  const url = urlOfBuild(module.sha256);
  if (url) request.module = url;
  else {
    const doc = await openText(engine, module, false);
    const who = `${module.name} ${module.version ?? ''}`.trim();
    if (doc.kind === 'too large') return { ok: false, message: `${who} did not come from a URL, and is too large to put in a link as text: load it from a URL to share it` };
    if (doc.kind === 'unavailable') return { ok: false, message: `${who} did not come from a URL, and its text could not be made (${doc.message})` };
    request.wat = doc.text;
    request.name = module.name;
  }
  if (fn !== null) {
    request.fn = fn;
    if (arg !== null) request.arg = arg;
  }
  const encoded = await encodeShare(request);
  if (!encoded.ok) return { ok: false, message: `${module.name} did not come from a URL, and ${encoded.message}` };
  return { ok: true, search: `${page.origin}${page.pathname}${encoded.search}` };
}

export function CopyLinkButton({ module, fn, arg }: { module: ModuleInfo; fn: string | null; arg: () => string | null }) {
  const engine = useEngine();
  const notices = useAppStore(selectNoticeActions);
  const copiedMark = useFlash();
  const copy = async () => {
    const link = await shareLink(engine, module, fn, arg());
    if (!link.ok) return notices.reportError(new Error(`No link: ${link.message}`), 'share');
    try {
      await copyText(link.search);
    } catch (error) {
      return notices.reportError(new Error(`Could not copy the link: ${error instanceof Error ? error.message : String(error)}`), 'share');
    }
    notices.announce(`Copied a link that opens ${module.name}${fn ? ` with ${fn} and its argument` : ''}`);
    copiedMark.flash();
  };
  return (
    <>
      <button type="button" className="button" onClick={() => void copy()} onFocus={() => copiedMark.hold(true)} onBlur={() => copiedMark.hold(false)} title="A link that opens this module with this function and argument">
        Copy link
      </button>
      {copiedMark.shown && (
        <span className="copied" aria-hidden="true">
          ✓ Copied
        </span>
      )}
    </>
  );
}
