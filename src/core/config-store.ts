/**
 * The engine's settings as they live: the engine-wide ones (validated, persisted through
 * `storage`, readable and assignable through a facade, `hotwasm.config.probation_ms = 1000`),
 * each module's own on top of them, and the pause of auto reload after too many rollbacks.
 */
import { messageOf } from '../shared/errors';
import type { ConfigFacade } from './api';
import { CONFIG_RULES, type ConfigStorage, DEFAULT_CONFIG, type EngineConfig, mergeConfig, readStoredConfig, toStoredConfig } from './config';

export class ConfigStore {
  current: EngineConfig;
  /** Why auto reload was paused, until the user turns it back on. */
  paused: string | null = null;
  readonly facade: ConfigFacade;
  private readonly overrides = new Map<string, Partial<EngineConfig>>();
  private readonly merged = new Map<string, EngineConfig>();
  private readonly storage: ConfigStorage | undefined;

  constructor(
    options: { storage?: ConfigStorage; config?: Partial<EngineConfig> },
    private readonly changed: (config: EngineConfig, paused: string | null) => void,
  ) {
    this.storage = options.storage;
    const stored = readStoredConfig(this.storage?.read(), (m) => console.warn(m));
    this.current = mergeConfig(mergeConfig({ ...DEFAULT_CONFIG }, stored), options.config ?? {});
    const facade = {} as ConfigFacade;
    for (const key of Object.keys(CONFIG_RULES) as (keyof EngineConfig)[]) {
      Object.defineProperty(facade, key, {
        enumerable: true,
        get: () => this.current[key],
        set: (value: unknown) => void this.configure({ [key]: value } as Partial<EngineConfig>),
      });
    }
    this.facade = facade;
  }

  /** Change engine-wide settings (validated: an invalid value throws, nothing changes). */
  configure(patch: Partial<EngineConfig>, bySystem = false): EngineConfig {
    this.current = mergeConfig(this.current, patch);
    this.merged.clear();
    // Turning auto reload back on is the user acting on a pause.
    if (!bySystem && patch.enabled === true) this.paused = null;
    try {
      this.storage?.write(toStoredConfig(this.current));
    } catch (error) {
      console.warn('hotwasm: settings could not be saved:', messageOf(error));
    }
    this.changed(this.current, this.paused);
    return this.current;
  }

  /** Auto reload pauses (the user turns it back on). */
  pause(reason: string): void {
    this.paused = reason;
    this.configure({ enabled: false }, true);
  }

  /** A module's settings: the engine's, with its own on top. */
  forModule(name: string): EngineConfig {
    let config = this.merged.get(name);
    if (!config) {
      const own = this.overrides.get(name);
      config = own ? { ...this.current, ...own } : this.current;
      this.merged.set(name, config);
    }
    return config;
  }

  /** Set settings of one module only (validated); answers its settings. */
  configureModule(name: string, patch: Partial<EngineConfig>): EngineConfig {
    mergeConfig(this.current, patch); // throws, naming every bad key
    this.overrides.set(name, { ...this.overrides.get(name), ...patch });
    this.merged.delete(name);
    return this.forModule(name);
  }
}
