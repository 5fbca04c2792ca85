/**
 * Checks of what the IndexedDB registry reads back. Nothing read from storage is trusted: an
 * older or newer hotwasm, another tab, an extension or the devtools may have written anything
 * under these keys, and a disk can hand back damage. Each store has a check that takes a value as
 * read and returns it typed, or a reason in words (the registry lists unreadable records with
 * it, and skips them everywhere else). The same checks refuse a record before it is written, so
 * that nothing is stored that could not be read back.
 *
 * Bytes are only checked for being bytes: whether they hash to their sha256 is for whoever runs
 * them to check (./verified-bytes.ts).
 */
import type { DeploymentOutcome, StrategyKind } from '../core/deploy/types';
import type { UpdateOutcome, UpdateRecord, UpdateTrigger, VersionRef } from '../core/history';
import { UPDATE_STEPS } from '../core/history';
import type { RefusalCode } from '../core/pipeline/refusal';
import { VERSION_SCHEMA, type CheckpointRecord, type ModuleRecord, type TextRecord, type VersionRecord, type VersionRemoval } from '../core/registry';

/** The record schema this code reads and writes: the `schema` field of every record but versions (VERSION_SCHEMA). */
export const RECORD_SCHEMA = 1;

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };
/** A store's check: a value as read (anything) → the record, typed, or why it is not one. */
export type Check<T> = (value: unknown) => Checked<T>;

/** One field's rule: the reason it fails (naming the field by `path`), or null. */
type Rule = (value: unknown, path: string) => string | null;
/** A rule for every field of T: adding a field to a record type does not compile until it has one. */
type Rules<T> = { [K in keyof T]-?: Rule };

/**
 * Every value of a union, listed; the list does not compile while one is missing, so a trigger or
 * an outcome added to history.ts is not silently read back as unreadable.
 */
const allOf =
  <T extends string>() =>
  <const A extends readonly T[]>(values: A & ([T] extends [A[number]] ? unknown : 'a value of the union is missing')): readonly T[] =>
    values;

const TRIGGERS = allOf<UpdateTrigger>()(['load', 'push', 'editor', 'reload', 'rollback', 'auto rollback', 'restore', 'publish', 'inject', 'rewind', 'deploy']);
const STRATEGIES = allOf<StrategyKind>()(['blue-green', 'rolling', 'canary', 'shadow']);
const DEPLOY_OUTCOMES = allOf<DeploymentOutcome>()(['promoted', 'rolled back', 'aborted', 'refused']);
const OUTCOMES = allOf<UpdateOutcome>()(['committed', 'refused', 'superseded', 'rolled back', 'already running']);
const REFUSAL_CODES = allOf<RefusalCode>()([
  'load-failed',
  'bytes-changed',
  'sha-mismatch',
  'label-taken',
  'lost-exports',
  'api-major',
  'over-budget',
  'save-failed',
  'restore-failed',
  'restore-refused',
  'health-failed',
  'unhealthy',
  'serving-changed',
  'no-restore-state',
  'state-refused',
  'other-version',
  'failed',
]);

/** A value in words, for reasons: short, and never the whole of a long string. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isBytes(value)) return `${value.byteLength} bytes`;
  switch (typeof value) {
    case 'string':
      return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
    case 'boolean':
      return String(value);
    case 'object':
      return value instanceof ArrayBuffer ? 'an ArrayBuffer' : 'an object';
    default:
      return `a ${typeof value}`;
  }
}

/** A Uint8Array, also one made in another realm (the structured clone makes it in this one). */
function isBytes(value: unknown): value is Uint8Array {
  return ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Uint8Array]';
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value) && !isBytes(value);

const rule =
  (expected: string, test: (value: unknown) => boolean): Rule =>
  (value, path) =>
    test(value) ? null : value === undefined ? `"${path}" is missing` : `"${path}" should be ${expected}, but is ${describe(value)}`;

const text = rule('a string', (v) => typeof v === 'string');
const name = rule('a non-empty string', (v) => typeof v === 'string' && v.length > 0);
const number = rule('a number', (v) => typeof v === 'number' && Number.isFinite(v));
const count = rule('a whole number ≥ 0', (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0);
const flag = rule('true or false', (v) => typeof v === 'boolean');
const bytes = rule('bytes (a Uint8Array)', isBytes);
const anObject = rule('an object', isObject);
const oneOf = (values: readonly string[]): Rule => rule(`one of ${values.map((v) => JSON.stringify(v)).join(', ')}`, (v) => typeof v === 'string' && values.includes(v));
const orNull =
  (inner: Rule): Rule =>
  (value, path) =>
    value === null ? null : inner(value, path);

function shape<T>(rules: Rules<T>): Rule {
  return (value, path) => {
    if (!isObject(value)) return anObject(value, path);
    for (const [field, check] of Object.entries<Rule>(rules)) {
      const reason = check(value[field], path ? `${path}.${field}` : field);
      if (reason) return reason;
    }
    return null;
  };
}

/**
 * How a record of an older schema becomes one of the current schema: `older[n].upgrade` takes a
 * record of schema n (its fields checked by `older[n].rules`) to schema n + 1. Never edit a step that shipped.
 */
interface Schemas {
  current: number;
  older: Record<number, { rules: Rule; upgrade: (value: Record<string, unknown>) => Record<string, unknown> }>;
}

/**
 * A check of a stored record: an object, of a schema this code reads, with every field right.
 * A record of an older schema is checked by that schema's rules and upgraded step by step, so
 * that what an older hotwasm kept (in the database, in an exported file) reads as current.
 */
function record<T extends { schema: number }>(what: string, rules: Rules<Omit<T, 'schema'>>, schemas: Schemas = { current: RECORD_SCHEMA, older: {} }): Check<T> {
  const fields = shape<Omit<T, 'schema'>>(rules);
  const { current } = schemas;
  return (value) => {
    if (!isObject(value)) return { ok: false, reason: `not ${what}: it is ${describe(value)}` };
    let schema = value.schema;
    if (schema !== current && !(typeof schema === 'number' && schema in schemas.older)) {
      const reason =
        schema === undefined
          ? `not ${what}: it has no "schema" field`
          : typeof schema === 'number' && schema > current
            ? `schema ${schema} is newer than this page reads (${current}): written by a newer hotwasm`
            : `schema ${describe(schema)} is not one this page knows (it reads ${current})`;
      return { ok: false, reason };
    }
    let upgraded: Record<string, unknown> = value;
    while (typeof schema === 'number' && schema < current) {
      const step = schemas.older[schema]!;
      const reason = step.rules(upgraded, '');
      if (reason) return { ok: false, reason: `${reason} (a schema ${schema} record)` };
      upgraded = { ...step.upgrade(upgraded), schema: schema + 1 };
      schema = schema + 1;
    }
    const reason = fields(upgraded, '');
    return reason ? { ok: false, reason } : { ok: true, value: upgraded as unknown as T };
  };
}

const versionRef = shape<VersionRef>({ version: name, sha256: name });

/** The fields version records had at schema 1. */
const versionFields1 = {
  module: name,
  label: name,
  sha256: name,
  size: count,
  source: text,
  trigger: oneOf(TRIGGERS),
  apiVersion: orNull(text),
  createdAt: number,
  servedAt: orNull(number),
  pinned: flag,
};

const names = rule('a list of strings', (v) => Array.isArray(v) && v.every((item) => typeof item === 'string'));

export const checkVersion: Check<VersionRecord> = record<VersionRecord>(
  'a version record',
  {
    ...versionFields1,
    tag: orNull(text),
    imports: orNull(names),
    exports: orNull(names),
    removed: orNull(shape<VersionRemoval>({ at: number, why: oneOf(['deleted', 'evicted']) })),
  },
  {
    current: VERSION_SCHEMA,
    // 1 → 2: no tag; imports and exports unknown (their bytes may be gone); kept, as every schema 1 record was.
    older: { 1: { rules: shape<Record<keyof typeof versionFields1, unknown>>(versionFields1), upgrade: (v) => ({ ...v, tag: null, imports: null, exports: null, removed: null }) } },
  },
);

export const checkUpdateRecord: Check<UpdateRecord> = record<UpdateRecord>('an update record', {
  id: count,
  timestamp: number,
  module: name,
  trigger: oneOf(TRIGGERS),
  from: orNull(versionRef),
  to: orNull(versionRef),
  outcome: oneOf(OUTCOMES),
  durationMs: number,
  failedStep: orNull(oneOf(UPDATE_STEPS)),
  error: orNull(text),
  refusal: orNull(shape<NonNullable<UpdateRecord['refusal']>>({ code: oneOf(REFUSAL_CODES), detail: anObject })),
  stateBytes: orNull(count),
  warning: orNull(text),
  cutover: orNull(shape<NonNullable<UpdateRecord['cutover']>>({ pauseMs: number, saveMs: number, restoreMs: number, held: flag })),
  deployment: (value, path) =>
    value === undefined ? null : shape<NonNullable<UpdateRecord['deployment']>>({ id: count, strategy: oneOf(STRATEGIES), outcome: oneOf(DEPLOY_OUTCOMES), decisions: names })(value, path),
});

export const checkCheckpoint: Check<CheckpointRecord> = record<CheckpointRecord>('a checkpoint', {
  module: name,
  label: name,
  sha256: name,
  at: number,
  state: bytes,
});

export const checkText: Check<TextRecord> = record<TextRecord>('a source text', {
  module: name,
  sha256: name,
  text,
  at: number,
});

export const checkModule: Check<ModuleRecord> = record<ModuleRecord>('a module record', {
  name,
  serving: orNull(shape<NonNullable<ModuleRecord['serving']>>({ label: name, sha256: name })),
  at: number,
});

/** Bytes are stored bare (no record around them), so their check is only that they are bytes. */
export const checkBytes: Check<Uint8Array> = (value) => (isBytes(value) ? { ok: true, value } : { ok: false, reason: `not bytes: it is ${describe(value)}` });
