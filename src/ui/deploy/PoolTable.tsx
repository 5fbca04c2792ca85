/**
 * The instances serving the module: one row each with its version, state, state size, calls,
 * errors, latency and its share of new calls.
 */
import { memo } from 'react';
import type { InstanceView } from '../../store';
import { DASH, formatCount, formatMs } from '../common/format';
import { formatBytes } from '../../shared/inspect';
import { formatShare } from './deploy-words';

export const PoolTable = memo(function PoolTable({ module, instances }: { module: string; instances: readonly InstanceView[] }) {
  return (
    // Focusable, so that a table wider than a narrow screen can be scrolled from the keyboard.
    <div className="table-scroll" tabIndex={0} role="group" aria-label={`Pool of ${module}`}>
      <table className="data-table pool-table">
        <caption>
          Pool of {module}: {instances.length} {instances.length === 1 ? 'instance' : 'instances'}
        </caption>
        <thead>
          <tr>
            <th scope="col">Instance</th>
            <th scope="col">Version</th>
            <th scope="col">State</th>
            <th scope="col">State size</th>
            <th scope="col">Calls</th>
            <th scope="col">Errors</th>
            <th scope="col">p50</th>
            <th scope="col">p99</th>
            <th scope="col">Share</th>
          </tr>
        </thead>
        <tbody>
          {instances.map((i) => (
            <tr key={i.id}>
              <th scope="row">{i.id}</th>
              <td>{i.version}</td>
              <td>
                <span className={`state-dot state-${i.state}`} aria-hidden="true" /> {i.state}
              </td>
              <td>{i.stateBytes === null ? DASH : formatBytes(i.stateBytes)}</td>
              <td>{formatCount(i.calls)}</td>
              <td>{formatCount(i.errors)}</td>
              <td>{formatMs(i.p50Ms)}</td>
              <td>{formatMs(i.p99Ms)}</td>
              <td>{formatShare(i.share)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
});
