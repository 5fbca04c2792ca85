/**
 * Change notices between tabs: after each write the registry posts what it changed on a
 * BroadcastChannel named after its database, so that another tab showing the same registry can
 * read it again. Without BroadcastChannel (an old browser) nothing is posted and nothing heard:
 * each tab then sees other tabs' writes only when it reads.
 *
 * A message from another tab is as untrusted as a record read back: only one that has the shape
 * of a notice reaches the listeners.
 */
import { STORE_NAMES, type StoreName } from './db';

export interface ChangeNotice {
  type: 'changed';
  store: StoreName;
  /** The key written or deleted, as text: a sha256, a name, `module/label`, a record's number. */
  key: string;
  /** The module the change is about, for every store but bytes. */
  module?: string;
}

export type ChangeListener = (notice: ChangeNotice) => void;

/** A key as text, the same way in notices and in the list of unreadable records. */
export function keyText(key: IDBValidKey): string {
  if (Array.isArray(key)) return key.map(keyText).join('/');
  if (key instanceof Date) return key.toISOString();
  if (typeof key === 'string' || typeof key === 'number') return String(key);
  return `${key.byteLength} bytes`;
}

function readNotice(data: unknown): ChangeNotice | null {
  if (typeof data !== 'object' || data === null) return null;
  const { type, store, key, module } = data as Record<string, unknown>;
  if (type !== 'changed' || !STORE_NAMES.includes(store as StoreName) || typeof key !== 'string') return null;
  if (module !== undefined && typeof module !== 'string') return null;
  return module === undefined ? { type, store: store as StoreName, key } : { type, store: store as StoreName, key, module };
}

export class ChangeChannel {
  private readonly channel: BroadcastChannel | null;
  private readonly listeners = new Set<ChangeListener>();

  constructor(name: string) {
    let channel: BroadcastChannel | null = null;
    try {
      if (typeof BroadcastChannel === 'function') channel = new BroadcastChannel(name);
    } catch {
      channel = null; // e.g. an opaque origin: this tab works alone
    }
    this.channel = channel;
    channel?.addEventListener('message', (event) => {
      const notice = readNotice(event.data);
      if (!notice) return;
      for (const listener of [...this.listeners]) {
        try {
          listener(notice);
        } catch (error) {
          // One listener's failure does not keep the notice from the others; it is still reported.
          setTimeout(() => {
            throw error;
          });
        }
      }
    });
  }

  /** Tell the other tabs; a closed channel (this registry closing) says nothing. */
  post(notices: readonly ChangeNotice[]): void {
    if (!this.channel) return;
    for (const notice of notices) {
      try {
        this.channel.postMessage(notice);
      } catch {
        return;
      }
    }
  }

  listen(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.listeners.clear();
    this.channel?.close();
  }
}
