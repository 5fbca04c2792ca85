/**
 * What reading a module says of it against guest ABI v1 — the checks `hotwasm check` starts with
 * (imports, exports, lifecycle types, the JSON ABI, the api_version) — so a guest's author sees a
 * lifecycle export of the wrong type or a missing api_version as the module loads, not later.
 */
import { memo, useEffect, useMemo, useState } from 'react';
import type { ModuleInfo } from '../../store';
import { type ConformanceCheck, layoutConformance } from '../../shared/conformance';

const MARK = { fail: '✗', warn: '!' } as const;

type Problem = ConformanceCheck & { status: 'fail' | 'warn' };

function problemsOf(module: ModuleInfo): Problem[] {
  const { checks } = layoutConformance(module, { apiVersion: module.apiVersion, apiVersionFrom: module.apiVersionSource ?? 'section' });
  return checks.filter((c): c is Problem => c.status === 'fail' || c.status === 'warn');
}

/** Exports walked as the panel renders; a module with more is read in a task of its own. */
const CHECKED_AT_ONCE = 2000;

export const AbiChecks = memo(function AbiChecks({ module }: { module: ModuleInfo }) {
  // A module with many exports is worked out in a task of its own after the panel has shown: it
  // walks every export, and 100,000 of them would otherwise lengthen the load's longest task by
  // 10-30 ms. Others at once: a task of its own was a second render and frame after every update.
  const large = module.exports.length > CHECKED_AT_ONCE;
  const atOnce = useMemo(() => (large ? null : problemsOf(module)), [large, module]);
  const [checked, setChecked] = useState<{ of: ModuleInfo; problems: Problem[] } | null>(null);
  useEffect(() => {
    if (!large) return;
    const timer = setTimeout(() => setChecked({ of: module, problems: problemsOf(module) }), 0);
    return () => clearTimeout(timer);
  }, [large, module]);
  const problems = atOnce ?? (checked?.of === module ? checked.problems : null);
  return (
    <>
      <h3>Guest ABI</h3>
      {problems === null ? (
        <p className="muted">Reading it against guest ABI v1…</p>
      ) : problems.length === 0 ? (
        <p className="muted">
          Nothing wrong that reading it can tell. <code>npx hotwasm check</code> also runs it: health, a state round trip, garbage refused, memory over 1,000 calls.
        </p>
      ) : (
        <ul className="abi-checks" aria-label="Guest ABI problems">
          {problems.map((c) => (
            <li key={c.id} data-status={c.status}>
              <span aria-hidden="true">{MARK[c.status]} </span>
              <span className="visually-hidden">{c.status === 'fail' ? 'Problem: ' : 'Warning: '}</span>
              {c.message}
            </li>
          ))}
        </ul>
      )}
    </>
  );
});
