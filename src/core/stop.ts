/**
 * Stopping what a module runs, on request (ModuleHandle.stop): every busy instance of its pool
 * is stopped and restarts from its checkpoint; the answer speaks for the first one stopped.
 */
import type { StopResult } from './api';
import type { Instance } from './instance';

export async function stopInstances(name: string, instances: readonly Instance[]): Promise<StopResult> {
  if (instances.length === 0) return { stopped: false, message: `${name} is still loading: nothing of it was running, so nothing was stopped` };
  const stops = instances.flatMap((instance) => {
    const stopped = instance.stop();
    return stopped ? [{ instance, stopped }] : [];
  });
  const [first] = stops;
  if (!first) {
    const restarting = instances.some((i) => i.state === 'restarting');
    return { stopped: false, message: restarting ? `${name} is restarting: nothing of it was running, so nothing was stopped` : `Nothing was running in ${name}, so nothing was stopped` };
  }
  const resumed = await first.stopped.restarted;
  await Promise.all(stops.slice(1).map((s) => s.stopped.restarted));
  const { what, ranMs, requeued } = first.stopped;
  return { stopped: true, what, ranMs, requeued, resumed, message: first.instance.notice ?? `${what} was stopped` };
}
