/**
 * Two kept versions compared: their bytes read from the registry (checked against their sha256),
 * inspected (no guest code runs), and shown side by side, the older on the left.
 */
import { useEffect, useState } from 'react';
import type { VersionInfo } from '../../store';
import { compareLayouts, type LayoutComparison } from '../../shared/compare';
import { useEngine } from '../common/context';
import { messageOf } from '../../shared/errors';
import { VersionCompare } from './VersionCompare';

type Shown = { state: 'loading' } | { state: 'failed'; reason: string } | { state: 'ready'; comparison: LayoutComparison };

export function VersionComparePane({ module, a, b, onClose }: { module: string; a: VersionInfo; b: VersionInfo; onClose(): void }) {
  const engine = useEngine();
  const [left, right] = a.createdAt <= b.createdAt ? [a, b] : [b, a];
  const [shown, setShown] = useState<Shown>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    setShown({ state: 'loading' });
    const layout = async (v: VersionInfo) => engine.inspect(await engine.module(module).download(v.version), `${module} ${v.version}`);
    Promise.all([layout(left), layout(right)]).then(
      ([l, r]) => live && setShown({ state: 'ready', comparison: compareLayouts(l, r) }),
      (error: unknown) => live && setShown({ state: 'failed', reason: messageOf(error) }),
    );
    return () => {
      live = false;
    };
    // Read again only when another pair is compared, not when a version's pin or name changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [engine, module, left.version, left.sha256, right.version, right.sha256]);

  return (
    <div className="compare-pane" role="region" aria-label={`${left.version} compared with ${right.version}`}>
      {shown.state === 'loading' && <p className="muted">Reading {left.version} and {right.version}…</p>}
      {shown.state === 'failed' && <p className="record-error">Could not compare: {shown.reason}</p>}
      {shown.state === 'ready' && <VersionCompare left={left} right={right} comparison={shown.comparison} />}
      <button type="button" className="button button-small" onClick={onClose}>
        Close the comparison
      </button>
    </div>
  );
}
