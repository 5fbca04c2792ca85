/**
 * What can be done with the picked version of the active module (the serving one when none is
 * picked): roll back to it (with none picked, to the version before the serving one), pin or
 * unpin it, name it, delete it (asked twice), download its `.wasm`, copy its sha256, compare it
 * with another. A refusal goes to the page alert, like a failed load.
 */
import { type FormEvent, useEffect, useId, useState } from 'react';
import type { VersionInfo } from '../../store';
import { selectNoticeActions } from '../../store';
import { useAppStore, useEngine } from '../common/context';
import { saveFile, wasmBlob } from '../common/save-file';
import { copyText } from '../module/CopyButton';

export interface VersionActionsProps {
  module: string;
  versions: readonly VersionInfo[];
  servingSha: string | null;
  /** The version picked in the table, or null. */
  picked: string | null;
  /** The version it is compared with, or null. */
  compareWith: string | null;
  onCompare(version: string | null): void;
  /** After a delete: nothing is picked any more. */
  onDeleted(): void;
}

export function VersionActions({ module, versions, servingSha, picked, compareWith, onCompare, onDeleted }: VersionActionsProps) {
  const engine = useEngine();
  const notices = useAppStore(selectNoticeActions);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const ids = { name: useId(), compare: useId() };
  const pickedVersion = versions.find((v) => v.version === picked) ?? null;
  const target = pickedVersion ?? versions.find((v) => v.sha256 === servingSha) ?? null;
  const [name, setName] = useState(target?.tag ?? '');
  // The name field shows the target's name whenever the target (or its name) changes.
  useEffect(() => {
    setName(target?.tag ?? '');
    setConfirming(false);
  }, [target?.version, target?.tag]);

  // Looked up when acting, never while rendering: the History panel can show a module whose
  // load was refused (its records), which the engine no longer knows — engine.module() throws then,
  // and a throw in render took the whole page down.
  const handle = () => engine.module(module);
  const act = async (what: string, work: () => unknown) => {
    setBusy(true);
    try {
      await work();
    } catch (error) {
      notices.reportError(error, what);
    } finally {
      setBusy(false);
    }
  };

  const servingPicked = pickedVersion !== null && pickedVersion.sha256 === servingSha;
  const rollBack = () => act('rollback', () => handle().rollback(pickedVersion?.version));

  const saveName = (event: FormEvent) => {
    event.preventDefault();
    if (!target) return;
    const text = name.trim();
    void act('name', () => {
      handle().tag(target.version, text === '' ? null : text);
      notices.announce(text === '' ? `${module} ${target.version} has no name now` : `${module} ${target.version} is called “${text}”`);
    });
  };

  const remove = () =>
    act('delete', () => {
      if (!target) return;
      handle().deleteVersion(target.version);
      notices.announce(`Deleted ${module} ${target.version} and its bytes`);
      onDeleted();
    });

  // The bytes come from the registry, checked against their sha256 (a damaged copy is refused).
  const download = () =>
    act('download', async () => {
      if (!target) return;
      const bytes = await handle().download(target.version);
      saveFile(wasmBlob(bytes), `${module}-${target.version}.wasm`);
    });

  const copySha = () =>
    act('copy', async () => {
      if (!target) return;
      await copyText(target.sha256);
      notices.announce(`Copied the sha256 of ${module} ${target.version}`);
    });

  const others = versions.filter((v) => v.version !== target?.version);
  return (
    <div className="version-actions" role="group" aria-label={target ? `Actions on ${module} ${target.version}` : `Actions on ${module}`}>
      <div className="version-actions-row">
        <button type="button" className="button" onClick={rollBack} disabled={busy || servingPicked || versions.length < 2}>
          {pickedVersion ? `Roll back to ${pickedVersion.version}` : 'Roll back to the previous version'}
        </button>
        <button type="button" className="button" aria-pressed={target?.pinned ?? false} onClick={() => act('pin', () => (target!.pinned ? handle().unpin(target!.version) : handle().pin(target!.version)))} disabled={busy || !target}>
          Pinned
        </button>
        <button type="button" className="button" onClick={download} disabled={busy || !target}>
          Download .wasm
        </button>
        <button type="button" className="button" onClick={copySha} disabled={busy || !target}>
          Copy sha256
        </button>
        {confirming ? (
          <span className="confirm">
            <span>Delete {target?.version} and its bytes?</span>{' '}
            <button type="button" className="button button-danger" onClick={() => void remove()} disabled={busy}>
              Delete {target?.version}
            </button>{' '}
            <button type="button" className="button" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </span>
        ) : (
          <button type="button" className="button" onClick={() => setConfirming(true)} disabled={busy || !target || target.sha256 === servingSha || target.pinned} title="Not the serving version, nor a pinned one">
            Delete…
          </button>
        )}
      </div>
      <div className="version-actions-row">
        <form className="inline-field" onSubmit={saveName}>
          <label htmlFor={ids.name}>Name of {target?.version ?? 'the version'}</label>
          <input id={ids.name} value={name} maxLength={60} placeholder="known good" onChange={(e) => setName(e.currentTarget.value)} disabled={!target} />
          <button type="submit" className="button button-small" disabled={busy || !target || name.trim() === (target.tag ?? '')}>
            Save name
          </button>
        </form>
        <div className="inline-field">
          <label htmlFor={ids.compare}>Compare with</label>
          <select id={ids.compare} value={compareWith ?? ''} onChange={(e) => onCompare(e.currentTarget.value || null)} disabled={!target || others.length === 0}>
            <option value="">—</option>
            {others.map((v) => (
              <option key={v.version} value={v.version}>
                {v.version}
                {v.tag ? ` (${v.tag})` : ''}
              </option>
            ))}
          </select>
        </div>
      </div>
    </div>
  );
}
