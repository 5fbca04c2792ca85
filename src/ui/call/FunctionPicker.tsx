/**
 * The Call panel's function picker: a <select> labelled "Function" of at most LIST_LIMIT
 * functions, and, for modules with many, a filter box in front of it. Typing filters (the first
 * match is chosen when the chosen one no longer matches), ArrowUp/ArrowDown move through the
 * matches without leaving the box, Enter takes the choice and moves on to the argument, Escape
 * clears. A count says how much of the list shows. A <select> of every export froze the page:
 * 1.2 s at 10,000 exports, 66 s at 100,000.
 */
import { type KeyboardEvent, useId, useMemo, useState } from 'react';
import { type ExportInfo, choiceNamed, defaultChoice, firstMatches, functionLabel, matchesQuery } from '../../store';
import { LIST_LIMIT, matchCountText } from '../common/matches';

/** With more functions than this, the picker has a filter box (the list alone serves fewer). */
const FILTER_FROM = 20;

const nameOf = (c: ExportInfo) => c.name;

export interface FunctionPick {
  /** The function chosen (always one the list shows), or null when none is or none matches. */
  selected: string | null;
  choice: ExportInfo | null;
  /** The options the <select> shows. */
  options: readonly ExportInfo[];
  query: string;
  /** Matches listed (the first LIST_LIMIT), matches in all, and functions in all. */
  shown: number;
  total: number;
  all: number;
  filtering: boolean;
  pick(name: string): void;
  setQuery(text: string): void;
}

/** The chosen function and the filter. The choice survives a module change when the new module still has it. */
export function useFunctionPick(choices: readonly ExportInfo[]): FunctionPick {
  // The choice is kept with the list it came from: looking it up by name in a list of 100,000
  // (a map made for the purpose) is needed only when the module changed.
  const [picked, setPicked] = useState<{ list: readonly ExportInfo[]; choice: ExportInfo } | null>(null);
  const [query, setQueryText] = useState('');
  const filtering = choices.length > FILTER_FROM;
  const q = filtering ? query.trim().toLowerCase() : '';
  const matches = useMemo(() => firstMatches(choices, q, nameOf, LIST_LIMIT), [choices, q]);
  const kept = picked === null ? null : picked.list === choices ? picked.choice : choiceNamed(choices, picked.choice.name);
  const wanted = kept ?? defaultChoice(choices);
  const choice = wanted && matchesQuery(wanted.name, q) ? wanted : (matches.shown[0] ?? null);
  const selected = choice?.name ?? null;
  // The chosen function is listed even when it is past the first matches.
  const options = choice && !matches.shown.includes(choice) ? [choice, ...matches.shown] : matches.shown;
  const keep = (next: ExportInfo) => setPicked({ list: choices, choice: next });
  return {
    selected,
    choice,
    options,
    query,
    shown: matches.shown.length,
    total: matches.total,
    all: choices.length,
    filtering,
    pick(name) {
      const next = options.find((c) => c.name === name) ?? choiceNamed(choices, name);
      if (next) keep(next);
    },
    setQuery(text) {
      setQueryText(text);
      // The first match becomes the choice when the chosen one no longer matches, so that
      // clearing the filter later does not bring back a choice the user typed away from.
      const next = text.trim().toLowerCase();
      if (choice === null || !matchesQuery(choice.name, next)) {
        const first = firstMatches(choices, next, nameOf, 1).shown[0];
        if (first) keep(first);
      }
    },
  };
}

export function FunctionPicker({ pick, id, onAccept }: { pick: FunctionPick; id: string; onAccept: () => void }) {
  const { selected, options, query, shown, total, all, filtering } = pick;
  const ids = { filter: useId(), count: useId() };

  const onFilterKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const at = options.findIndex((c) => c.name === selected);
      const next = options[Math.min(options.length - 1, Math.max(0, at + (event.key === 'ArrowDown' ? 1 : -1)))];
      if (next) pick.pick(next.name);
    } else if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey) {
      // Ctrl+Enter goes on to the panel: it calls.
      event.preventDefault();
      if (selected !== null) {
        pick.pick(selected);
        onAccept();
      }
    } else if (event.key === 'Escape' && query !== '') {
      event.preventDefault();
      pick.setQuery('');
    }
  };

  return (
    <div className="field function-picker">
      <label htmlFor={id}>Function</label>
      <div className="picker-row">
        {filtering && (
          <input
            id={ids.filter}
            type="search"
            className="picker-filter"
            aria-label="Filter by name"
            aria-controls={id}
            aria-describedby={ids.count}
            placeholder="Type to filter…"
            spellCheck={false}
            autoComplete="off"
            value={query}
            onChange={(e) => pick.setQuery(e.currentTarget.value)}
            onKeyDown={onFilterKey}
          />
        )}
        <select id={id} value={selected ?? ''} onChange={(e) => pick.pick(e.currentTarget.value)} disabled={options.length === 0} aria-describedby={filtering ? ids.count : undefined}>
          {all === 0 && <option value="">No function exports</option>}
          {all > 0 && options.length === 0 && <option value="">No match</option>}
          {options.map((c) => (
            <option key={c.name} value={c.name}>
              {functionLabel(c)}
            </option>
          ))}
        </select>
      </div>
      {filtering && (
        <span id={ids.count} className="muted picker-count" aria-live="polite">
          {matchCountText({ query, shown, total, all, noun: ['function', 'functions'] })}
        </span>
      )}
    </div>
  );
}
