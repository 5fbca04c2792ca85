/** State bytes as hex (with offsets, bounded), as UTF-8 text, or as pretty JSON when they are JSON: a radio group picks the view. */
import { useId, useMemo, useState } from 'react';
import { HEX_SHOWN, hexRows, jsonView, utf8View } from './state-bytes';

type View = 'hex' | 'utf8' | 'json';

/** Text views decode at most this much (a 16 MiB state is not text worth reading whole). */
const TEXT_SHOWN = 64 * 1024;
/** Larger states are not tried as JSON. */
const JSON_MAX = 1024 * 1024;

export function StateView({ bytes }: { bytes: Uint8Array }) {
  const json = useMemo(() => (bytes.byteLength <= JSON_MAX ? jsonView(bytes) : null), [bytes]);
  const [picked, setPicked] = useState<View>('hex');
  const view: View = picked === 'json' && json === null ? 'hex' : picked;
  const group = useId();
  const options: [View, string][] = [
    ['hex', 'Hex'],
    ['utf8', 'UTF-8'],
    ...(json !== null ? ([['json', 'JSON']] as [View, string][]) : []),
  ];
  return (
    <div className="state-view">
      <fieldset className="state-views">
        <legend>View</legend>
        {options.map(([value, label]) => (
          <label key={value}>
            <input type="radio" name={group} value={value} checked={view === value} onChange={() => setPicked(value)} /> {label}
          </label>
        ))}
      </fieldset>
      {view === 'hex' && <HexView bytes={bytes} />}
      {view === 'utf8' && <Utf8View bytes={bytes} />}
      {view === 'json' && (
        <pre className="state-bytes" aria-label="State as JSON" tabIndex={0}>
          {json}
        </pre>
      )}
    </div>
  );
}

function HexView({ bytes }: { bytes: Uint8Array }) {
  const [limit, setLimit] = useState(HEX_SHOWN);
  const text = useMemo(
    () =>
      hexRows(bytes, limit)
        .map((r) => `${r.offset}  ${r.hex.padEnd(47)}  ${r.ascii}`)
        .join('\n'),
    [bytes, limit],
  );
  const shown = Math.min(limit, bytes.byteLength);
  return (
    <>
      <pre className="state-bytes" aria-label="State as hex" tabIndex={0}>
        {text || '(empty: 0 bytes)'}
      </pre>
      {shown < bytes.byteLength && (
        <p className="panel-actions">
          <span className="muted">
            The first {shown.toLocaleString('en-US')} of {bytes.byteLength.toLocaleString('en-US')} bytes.
          </span>
          {/* Eight times as much each time: a 16 MiB state is a few presses, never one huge render. */}
          <button type="button" className="button button-small" onClick={() => setLimit(limit * 8)}>
            Show more
          </button>
        </p>
      )}
    </>
  );
}

function Utf8View({ bytes }: { bytes: Uint8Array }) {
  const { text, valid } = useMemo(() => utf8View(bytes.subarray(0, TEXT_SHOWN)), [bytes]);
  return (
    <>
      {!valid && <p className="muted">Not valid UTF-8: bytes that are not show as �.</p>}
      {bytes.byteLength > TEXT_SHOWN && <p className="muted">The first {TEXT_SHOWN.toLocaleString('en-US')} bytes.</p>}
      <pre className="state-bytes" aria-label="State as UTF-8 text" tabIndex={0}>
        {text}
      </pre>
    </>
  );
}
