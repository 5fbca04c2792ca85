/**
 * The instances serving one module, the gate that holds calls while a cutover or rollback
 * changes them, and the routing of calls to them. Today a pool serves with one instance, and its
 * one strategy is `replace` (the update pipeline swaps the instance); strategies that run several
 * instances (blue-green, rolling, canary) change the pool through the same two moves:
 * {@link InstancePool.hold} / {@link InstancePool.release} and {@link InstancePool.replace}.
 */
import { HotwasmError } from '../shared/errors';
import type { Instance } from './instance';

export class InstancePool {
  private instances: Instance[];
  /** Calls waiting for a cutover or rollback to finish, in the order they were made. */
  private held: (() => void)[] | null = null;

  constructor(first: Instance) {
    this.instances = [first];
  }

  /** The instance that answers calls (a pool of one has only it). */
  get primary(): Instance {
    const first = this.instances[0];
    if (!first) throw new HotwasmError('not-loaded', 'The module has no instance serving');
    return first;
  }

  get all(): readonly Instance[] {
    return this.instances;
  }

  /** Are calls being held? */
  get holding(): boolean {
    return this.held !== null;
  }

  /** The least busy instance: the one with the fewest requests waiting. */
  private route(): Instance {
    let best = this.primary;
    for (const instance of this.instances) if (instance.pending < best.pending) best = instance;
    return best;
  }

  /** Run `request` on a serving instance now, or after the cutover in progress, in call order. */
  send<T>(request: (instance: Instance) => Promise<T>): Promise<T> {
    if (this.held) {
      const held = this.held;
      return new Promise<T>((resolve, reject) => held.push(() => void request(this.route()).then(resolve, reject)));
    }
    return request(this.route());
  }

  /** Hold new calls until {@link release}. */
  hold(): void {
    this.held ??= [];
  }

  /** Let the held calls go, in order, to whichever instances serve now. */
  release(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const run of held) run();
  }

  /** Serve with `next` instead of every current instance; answers the ones it displaced. */
  replace(next: Instance): Instance[] {
    const displaced = this.instances.filter((i) => i !== next);
    this.instances = [next];
    return displaced;
  }

  /** Does this instance serve here? */
  serves(instance: Instance): boolean {
    return this.instances.includes(instance);
  }

  dispose(reason: string): void {
    for (const instance of this.instances) instance.dispose(reason);
    this.release(); // held calls now fail on the disposed instance, with the reason
  }
}
