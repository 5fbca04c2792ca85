import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Rechecker } from './recheck';
import { tempDir, removeTempDirs } from './test-support/dev-server';

afterAll(removeTempDirs);

describe('re-checking a file after a watcher event', () => {
  it('reports a save the watcher saw only half of (or dropped), and stays quiet otherwise', async () => {
    const file = join(await tempDir(), 'src.rs');
    await writeFile(file, 'fn main() {}');
    const missed: string[] = [];
    const rechecker = new Rechecker((f) => missed.push(f));
    try {
      // The watcher looked at the file, then the rest of the save landed (a new size).
      const seen = await stat(file);
      await writeFile(file, 'fn main() { println!("saved twice"); }');
      rechecker.saw(file, seen);
      await vi.waitFor(() => expect(missed).toEqual([file]), { timeout: 5000, interval: 10 });

      // Nothing changed after the watcher's look: nothing more to report.
      const quiet = new Rechecker((f) => missed.push(f));
      quiet.saw(file, await stat(file));
      quiet.saw(file); // no stats given: it looks itself
      const later = join(file, '..', 'sentinel');
      rechecker.saw(later); // does not exist: nothing to report either
      await Promise.all([quiet.idle(), rechecker.idle()]);
      expect(missed).toEqual([file]);
    } finally {
      rechecker.dispose();
    }
  });
});
