import { describe, expect, it } from 'vitest';
import type { StoredConfig } from '../core';
import { CONFIG_STORAGE_KEY, localConfigStorage } from './config-storage';

/** A Storage over a Map; `refuse` makes it throw like a browser in a privacy mode or over quota. */
function fakeStorage(refuse: { get?: boolean; set?: boolean } = {}) {
  const items = new Map<string, string>();
  const storage = {
    getItem(key: string) {
      if (refuse.get) throw new Error('The operation is insecure.');
      return items.get(key) ?? null;
    },
    setItem(key: string, value: string) {
      if (refuse.set) throw new Error('QuotaExceededError');
      items.set(key, value);
    },
  } as unknown as Storage;
  return { storage, items };
}

const record: StoredConfig = { schema: 1, values: { probation_ms: 100 } };

describe('localConfigStorage', () => {
  it('writes JSON under hotwasm:config and reads it back', () => {
    const { storage, items } = fakeStorage();
    const config = localConfigStorage({ storage: () => storage, warn: () => expect.fail('no warning expected') });
    expect(config.read()).toBeNull();
    config.write(record);
    expect(items.get(CONFIG_STORAGE_KEY)).toBe('{"schema":1,"values":{"probation_ms":100}}');
    expect(config.read()).toEqual(record);
  });

  it('ignores text that is not JSON, with a warning', () => {
    const { storage, items } = fakeStorage();
    items.set(CONFIG_STORAGE_KEY, '{oops');
    const warnings: string[] = [];
    expect(localConfigStorage({ storage: () => storage, warn: (m) => warnings.push(m) }).read()).toBeNull();
    expect(warnings).toHaveLength(1);
  });

  it('falls back to memory when the browser refuses, warning once', () => {
    const { storage } = fakeStorage({ set: true });
    const warnings: string[] = [];
    const config = localConfigStorage({ storage: () => storage, warn: (m) => warnings.push(m) });
    config.write(record);
    config.write({ schema: 1, values: { probation_ms: 200 } });
    expect(config.read()).toEqual({ schema: 1, values: { probation_ms: 200 } });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/memory.*QuotaExceededError/);
  });

  it('survives a storage that cannot even be reached', () => {
    const warnings: string[] = [];
    const config = localConfigStorage({
      storage: () => {
        throw new Error('SecurityError');
      },
      warn: (m) => warnings.push(m),
    });
    expect(config.read()).toBeNull();
    config.write(record);
    expect(config.read()).toEqual(record);
    expect(warnings).toHaveLength(1);
  });
});
