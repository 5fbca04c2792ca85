/**
 * Where versions are kept, in the Status panel: in this browser, with the storage the site uses
 * and may use (`navigator.storage.estimate()`, read again as versions change), and a button to
 * ask the browser to keep it (`navigator.storage.persist()`: otherwise it may clear it when the
 * disk runs short); or in memory only, with the reason, when the browser refused storage. Export
 * saves everything kept as one file; Import takes such a file (every checksum verified) and says
 * what it took, skipped and refused.
 */
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ImportReport } from '../../core';
import { formatBytes } from '../../shared/inspect';
import { selectConfig, selectModulesByName, selectStorageMode, selectStorageReason, selectUnreadable } from '../../store';
import { useAppStore, useEngine } from '../common/context';
import { Fact } from '../common/Fact';
import { saveFile } from '../common/save-file';

interface Estimate {
  usage: number;
  quota: number;
}

type Persisted = 'unknown' | 'yes' | 'no' | 'refused';

/** The browser's StorageManager, where it has one (not in insecure contexts, nor in old browsers). */
const storageApi = (): StorageManager | null => (typeof navigator !== 'undefined' && 'storage' in navigator && typeof navigator.storage?.estimate === 'function' ? navigator.storage : null);

/** An import's outcome in words. */
function reportText(report: ImportReport): string {
  if (!report.ok) return `Nothing was imported: ${report.reason}`;
  const { took, skipped, refused } = report;
  const counts = (c: typeof took) => `${c.versions} versions, ${c.records} records, ${c.checkpoints} checkpoints`;
  const refusedText = refused.length ? `; refused ${refused.length}: ${refused.map((r) => `${r.what} (${r.reason})`).join('; ')}` : '';
  return `Imported ${counts(took)}; skipped ${counts(skipped)} already kept${refusedText}.`;
}

export function StorageStatus() {
  const engine = useEngine();
  const [transfer, setTransfer] = useState<string | null>(null);
  const mode = useAppStore(selectStorageMode);
  const reason = useAppStore(selectStorageReason);
  const unreadable = useAppStore(selectUnreadable);
  const keep = useAppStore((s) => selectConfig(s).keep_versions);
  // Versions change with every module's updates: the estimate is read again then (and only
  // then: a status that changes, as call counts do every 200 ms, is no reason).
  const versionLists = useAppStore(useShallow((s) => Object.values(selectModulesByName(s)).map((entry) => entry.versions)));
  const [estimate, setEstimate] = useState<Estimate | null>(null);
  const [persisted, setPersisted] = useState<Persisted>('unknown');

  useEffect(() => {
    const api = storageApi();
    if (mode !== 'browser' || !api) return;
    let live = true;
    const timer = setTimeout(() => {
      api.estimate().then(
        (e) => live && setEstimate({ usage: e.usage ?? 0, quota: e.quota ?? 0 }),
        () => undefined,
      );
    }, 300); // after the update that changed them has settled, once for a burst
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [mode, versionLists]);

  useEffect(() => {
    const api = storageApi();
    if (mode !== 'browser' || typeof api?.persisted !== 'function') return;
    void api.persisted().then((p) => setPersisted(p ? 'yes' : 'no'), () => undefined);
  }, [mode]);

  const persist = async () => {
    const api = storageApi();
    if (typeof api?.persist !== 'function') return setPersisted('refused');
    setPersisted((await api.persist().catch(() => false)) ? 'yes' : 'refused');
  };

  const exportAll = async () => {
    try {
      const file = await engine.registry.export();
      saveFile(file, `hotwasm-registry-${new Date().toISOString().slice(0, 10)}.json`);
      setTransfer(`Exported ${formatBytes(file.size)}.`);
    } catch (error) {
      setTransfer(`The export failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const importFile = async (file: File | undefined) => {
    if (!file) return;
    setTransfer(`Importing ${file.name}…`);
    try {
      setTransfer(reportText(await engine.registry.import(file)));
    } catch (error) {
      setTransfer(`Nothing was imported: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const transferRow = (
    <div className="storage-transfer">
      <button type="button" className="button" onClick={() => void exportAll()}>
        Export versions
      </button>
      <label className="button file-button">
        <input
          type="file"
          accept=".json,application/json"
          className="file-input"
          onChange={(e) => {
            void importFile(e.currentTarget.files?.[0]);
            e.currentTarget.value = '';
          }}
        />
        Import versions…
      </label>
      <p aria-live="polite" className="storage-transfer-report">
        {transfer}
      </p>
    </div>
  );

  if (mode === 'memory') {
    return (
      <>
        <dl className="facts">
          <Fact term="Versions kept" value="in memory only" />
        </dl>
        <p className="storage-warning" role="note">
          Versions are kept in this page&rsquo;s memory only, and are lost on a reload: {reason ?? 'this browser refused storage'}.
        </p>
        {transferRow}
      </>
    );
  }
  const used = estimate ? `, ${formatBytes(estimate.usage)} used of ${formatBytes(estimate.quota)}` : '';
  return (
    <div className="storage-status">
      <dl className="facts">
        <Fact term="Versions kept" value={mode === 'opening' ? 'opening storage…' : `in this browser (across reloads)${used}`} />
        <Fact term="Kept per module" value={`${keep} unpinned versions (keep_versions), the least recently used go first`} />
      </dl>
      {mode === 'browser' && (
        <p className="storage-persist" aria-live="polite">
          {persisted === 'yes' && 'The browser keeps this storage until you clear it.'}
          {persisted === 'refused' && 'The browser did not promise to keep this storage: it may clear it when the disk runs short.'}
          {(persisted === 'no' || persisted === 'unknown') && (
            <button type="button" className="button" onClick={() => void persist()} title="navigator.storage.persist(): without it, the browser may clear the versions when the disk runs short">
              Keep storage persistent
            </button>
          )}
        </p>
      )}
      {unreadable.length > 0 && (
        <details className="storage-warning">
          <summary>
            {unreadable.length} stored {unreadable.length === 1 ? 'record is' : 'records are'} unreadable: skipped, never run
          </summary>
          <ul>
            {unreadable.map((r) => (
              <li key={`${r.store}/${r.key}`}>
                {r.store} <code>{r.key}</code>: {r.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      {transferRow}
    </div>
  );
}
