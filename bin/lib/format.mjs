/**
 * Words for people: sizes, durations, module status lines.
 */

/** @param {number} n bytes */
export function formatBytes(n) {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/** @param {{ name: string, seq: number, size: number, sha256: string, durationMs?: number }} build */
export function describeBuild(build) {
  const time = build.durationMs !== undefined ? ` in ${build.durationMs} ms` : '';
  return `${build.name} #${build.seq}${time} (${formatBytes(build.size)}, sha256 ${build.sha256.slice(0, 12)})`;
}

/** The last lines of a build's output, indented. */
export function tail(/** @type {string} */ output, n = 20) {
  return output
    .trimEnd()
    .split('\n')
    .slice(-n)
    .map((line) => `  ${line}`)
    .join('\n');
}

/** @param {any} status the answer of GET /__hotwasm/status */
export function describeStatus(status, /** @type {string} */ url) {
  const lines = [`${url}: ${status.pages} page${status.pages === 1 ? '' : 's'} connected; push and trigger ${status.mutations.enabled ? 'on' : `OFF (${status.mutations.reason})`}`];
  if (!status.modules.length) lines.push('  no modules');
  for (const m of status.modules) {
    const latest = m.versions[0];
    const last = m.lastBuild;
    const state = m.state === 'building' ? `building${m.queued ? ', one more queued' : ''}${m.waiting ? ` (${m.waiting})` : ''}` : 'idle';
    lines.push(`  ${m.name} (${m.kind}): ${state}`);
    lines.push(`    latest: ${latest ? `#${latest.seq}, ${formatBytes(latest.size)}, sha256 ${latest.sha256.slice(0, 12)}, ${new Date(latest.builtAt).toLocaleTimeString()}` : 'none yet'}`);
    if (last?.status === 'failed') lines.push(`    last build #${last.seq} FAILED (${last.code}): ${last.message}`);
    else if (last) lines.push(`    last build #${last.seq} ok in ${last.durationMs} ms`);
  }
  return lines.join('\n');
}
