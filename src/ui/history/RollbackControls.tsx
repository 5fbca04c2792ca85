/**
 * Roll back the active module: pick one of the versions kept for rollback, or none for the one
 * before the serving version; or download the picked version's `.wasm` (the serving one when
 * none is picked). A refused rollback or download goes to the page alert, like a failed load.
 */
import { useId, useState } from 'react';
import { type VersionInfo, selectHasModule, selectNoticeActions, selectModuleName, selectServingSha, selectVersions } from '../../store';
import { useAppStore, useEngine } from '../common/context';
import { shortSha } from '../common/format';

/** The value to pass to engine.rollback: the label when it names one version, else the sha256. */
const targetOf = (v: VersionInfo, all: readonly VersionInfo[]) => (all.filter((o) => o.version === v.version).length === 1 ? v.version : v.sha256);

export function RollbackControls() {
  const engine = useEngine();
  const versions = useAppStore(selectVersions);
  // The two fields it shows, not the whole status: that changes with every call's statistics.
  const servingSha = useAppStore(selectServingSha);
  const moduleName = useAppStore(selectModuleName);
  const hasModule = useAppStore(selectHasModule);
  const notices = useAppStore(selectNoticeActions);
  const [picked, setPicked] = useState('');
  const [busy, setBusy] = useState(false);
  const id = useId();

  const options = versions.map((v) => ({ value: targetOf(v, versions), version: v, serving: v.sha256 === servingSha }));
  // A pick that no longer exists (another module became active) means "the previous version".
  const selected = options.some((o) => o.value === picked && !o.serving) ? picked : '';

  const rollBack = async () => {
    setBusy(true);
    try {
      if (moduleName) await engine.module(moduleName).rollback(selected || undefined);
      setPicked('');
    } catch (error) {
      notices.reportError(error, 'rollback');
    } finally {
      setBusy(false);
    }
  };

  // The bytes come from the registry, checked against their sha256 (a damaged copy is refused).
  const download = async () => {
    if (!moduleName) return;
    const chosen = options.find((o) => o.value === selected)?.version ?? versions.find((v) => v.sha256 === servingSha);
    try {
      const bytes = await engine.module(moduleName).download(selected || undefined);
      const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/wasm' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `${moduleName}-${chosen?.version ?? 'serving'}.wasm`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      notices.reportError(error, 'download');
    }
  };

  return (
    <div className="rollback-row">
      <label htmlFor={id}>Version</label>
      <select id={id} value={selected} onChange={(e) => setPicked(e.currentTarget.value)} disabled={!hasModule}>
        <option value="">Previous version</option>
        {options.map(({ value, version, serving }) => (
          <option key={version.sha256} value={value} disabled={serving}>
            {version.version} · {shortSha(version.sha256)}
            {serving ? ' (serving)' : ''}
          </option>
        ))}
      </select>
      <button type="button" className="button" onClick={rollBack} disabled={!hasModule || busy || versions.length < 2}>
        Roll back
      </button>
      <button type="button" className="button" onClick={() => void download()} disabled={!hasModule} title="Save the picked version's .wasm (the serving one when none is picked)">
        Download .wasm
      </button>
      {moduleName && <span className="muted rollback-scope">of {moduleName}</span>}
    </div>
  );
}
