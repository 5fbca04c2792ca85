/** The words of a storage-full notice: what of a module waits for room. */

/**
 * What waits for room, versions first (they matter most): "version v6", "versions v6 and v7 and
 * a checkpoint of v7", "versions v3, v4 and 2 more and 5 other writes", "checkpoint of v7".
 */
export function waitingText(waiting: string[]): string {
  const versions = waiting.filter((w) => w.startsWith('version ')).map((w) => w.slice('version '.length));
  const others = waiting.filter((w) => !w.startsWith('version '));
  if (versions.length === 0) return listed(others);
  const named = `${versions.length === 1 ? 'version' : 'versions'} ${listed(versions)}`;
  if (others.length === 0) return named;
  return `${named} and ${others.length === 1 ? others[0] : `${others.length} other writes`}`;
}

/** "a", "a and b", "a, b and c", "a, b and 3 more". */
function listed(items: string[]): string {
  if (items.length <= 1) return items.join('');
  if (items.length <= 3) return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
  return `${items.slice(0, 2).join(', ')} and ${items.length - 2} more`;
}
