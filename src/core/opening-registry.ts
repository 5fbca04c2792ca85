/**
 * A registry that is still being opened: IndexedDB takes 5–20 ms to open on the benchmark
 * machine, and a page that waits for it before making its engine starts everything else that
 * late too — the engine's spare worker (which takes longer to start than the registry to open),
 * the first render, the reads of what to bring back. Made with the promise of the registry, it
 * is one at once: every call waits for the registry to be open, then goes to it, in the order
 * the calls were made.
 *
 *   const engine = createEngine({ registry: openingRegistry(openIndexedDbRegistry().then((o) => (o.ok ? o.registry : new MemoryRegistry()))) });
 *
 * Every method of {@link Registry} answers a promise, so each one is forwarded the same way,
 * whatever methods the interface has.
 */
import type { Registry } from './registry';

type Method = (...args: unknown[]) => Promise<unknown>;

/** Methods a registry may lack (see Registry): answered with nothing kept, as a caller of the bare registry would see. */
const OPTIONAL = new Set(['putText', 'getText']);

export function openingRegistry(opening: Promise<Registry>): Registry {
  const forwarded = new Map<string, Method>();
  return new Proxy({} as Registry, {
    get(_target, key) {
      // Not a thenable (awaiting the registry itself must not wait for it), and no symbols.
      if (typeof key !== 'string' || key === 'then') return undefined;
      let method = forwarded.get(key);
      if (!method) {
        method = (...args) =>
          opening.then((registry) => {
            const own = (registry as unknown as Record<string, unknown>)[key];
            if (typeof own !== 'function' && OPTIONAL.has(key)) return null;
            if (typeof own !== 'function') throw new TypeError(`the registry has no method ${key}`);
            return (own as Method).apply(registry, args);
          });
        forwarded.set(key, method);
      }
      return method;
    },
  });
}
