/** Module: everything known about the active module, and the active-module switch. */
import { useId } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { type ModuleInfo, type ModuleStatus, selectModule, selectModuleNames, selectNoticeActions } from '../../store';
import { type MemoryLimits, PAGE_BYTES } from '../../shared/inspect';
import { useAppStore, useEngine } from '../common/context';
import { DASH, formatCount, formatSize } from '../common/format';
import { CopyButton } from './CopyButton';
import { ExportsTable, ImportsTable } from './tables';
import { Fact } from '../common/Fact';
import { AbiChecks } from './AbiChecks';

export function ModulePanel() {
  const module = useAppStore(selectModule);
  return (
    <section className="panel" aria-label="Module">
      <div className="panel-header">
        <h2>Module</h2>
        <ActiveModuleSelect active={module?.name ?? null} />
      </div>
      {module ? <ModuleDetails module={module} /> : <p className="empty">No module loaded. Pick a .wasm file, drop one on the page, or load one by URL.</p>}
    </section>
  );
}

const NO_OPTIONS: readonly string[] = [];

/** Shown when more than one module is loaded: which one the panels work with, and how each is. */
function ActiveModuleSelect({ active }: { active: string | null }) {
  const engine = useEngine();
  const names = useAppStore(selectModuleNames);
  // The options' words, compared one by one: a status that changes only its call counts (every
  // 200 ms while calls run) redraws nothing here.
  const options = useAppStore(useShallow((s) => (s.modules.names.length < 2 ? NO_OPTIONS : s.modules.names.map((name) => optionText(name, s.modules.byName[name]?.status)))));
  const notices = useAppStore(selectNoticeActions);
  const id = useId();
  if (names.length < 2) return null;
  return (
    <div className="inline-field">
      <label htmlFor={id}>Active module</label>
      <select
        id={id}
        value={active ?? ''}
        onChange={(e) => {
          try {
            engine.use(e.currentTarget.value);
          } catch (error) {
            notices.reportError(error, 'use');
          }
        }}
      >
        {names.map((name, i) => (
          <option key={name} value={name}>
            {options[i]}
          </option>
        ))}
      </select>
    </div>
  );
}

/** `counter — healthy, v2` (`updating` while an update runs). */
function optionText(name: string, status: ModuleStatus | undefined): string {
  if (!status) return name;
  const state = status.updating ? `updating (${status.updating})` : status.state;
  return `${name} — ${state}${status.version ? `, ${status.version}` : ''}`;
}

function apiVersionText(module: ModuleInfo): string {
  if (!module.apiVersion) return 'none';
  const from = module.apiVersionSource === 'section' ? 'api_version section' : 'get_api_version export';
  return `${module.apiVersion} (from the ${from})`;
}

function ModuleDetails({ module }: { module: ModuleInfo }) {
  return (
    <>
      <dl className="facts module-facts">
        <Fact term="Name" value={module.name} />
        <Fact term="Version" value={module.version ?? DASH} />
        <Fact term="Source" value={module.source} />
        <Fact term="Size" value={formatSize(module.size)} />
        <div>
          <dt>sha256</dt>
          <dd className="sha">
            <code title={module.sha256}>{module.sha256.slice(0, 12)}</code>
            <CopyButton text={module.sha256} label="Copy sha256" copied="Copied the sha256 to the clipboard" />
          </dd>
        </div>
        <Fact term="API version" value={apiVersionText(module)} />
        <Fact term="Kind" value={module.kind} />
        <Fact term="Initial memory" value={memoryText(module, (m) => m.initialPages)} />
        <Fact term="Max memory" value={memoryText(module, (m) => m.maxPages)} />
      </dl>
      {module.jsonAbiProblem && module.kind === 'reactor' && (
        <p className="hint">JSON calls are not available: {module.jsonAbiProblem}. Numeric exports can still be called raw.</p>
      )}
      <ExportsTable exports={module.exports} module={module.name} />
      <ImportsTable imports={module.imports} />
      <h3>Custom sections</h3>
      {module.customSections.length === 0 ? (
        <p className="empty">None</p>
      ) : (
        <ul className="sections-list">
          {module.customSections.map((s, i) => (
            <li key={`${s.name}:${i}`}>
              <code>{s.name}</code> <span className="muted">{formatSize(s.size)}</span>
            </li>
          ))}
        </ul>
      )}
      <AbiChecks module={module} />
    </>
  );
}

/** "2 pages = 128.0 KiB (131,072 bytes)", for each memory (modules rarely have more than one). */
function memoryText(module: ModuleInfo, size: (m: MemoryLimits) => number | null): string {
  if (module.memories.length === 0) return 'no memory';
  return module.memories
    .map((m) => {
      const n = size(m);
      // With no declared maximum, memory can still grow only up to the memory budget (memory_budget_mb).
      if (n === null) return 'none declared (up to the memory budget)';
      const flags = `${m.shared ? ', shared' : ''}${m.memory64 ? ', 64-bit' : ''}`;
      return `${formatCount(n)} ${n === 1 ? 'page' : 'pages'} = ${formatSize(n * PAGE_BYTES)}${flags}`;
    })
    .join('; ');
}
