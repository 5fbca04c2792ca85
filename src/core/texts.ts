/**
 * The text versions were compiled from (builds of the playground's Source panel), by sha256:
 * kept in memory, and by the registry too when it keeps texts, so that rolling back to a
 * version brings back the text that built it. Bytes compiled from two texts (one with a comment
 * more) are one version: it keeps the later text.
 */
import type { Registry } from './registry';

export class SourceTexts {
  private readonly memory = new Map<string, string>();

  constructor(
    private readonly module: string,
    private readonly registry: Registry,
    private readonly onError: (what: string, error: unknown) => void,
  ) {}

  keep(sha256: string, text: string): void {
    if (this.memory.get(sha256) === text) return;
    this.memory.set(sha256, text);
    this.registry.putText?.(this.module, sha256, text).catch((error: unknown) => this.onError(`the text of ${sha256.slice(0, 12)}…`, error));
  }

  async get(sha256: string): Promise<string | null> {
    const known = this.memory.get(sha256);
    if (known !== undefined) return known;
    const kept = (await this.registry.getText?.(this.module, sha256)) ?? null;
    if (kept !== null) this.memory.set(sha256, kept);
    return kept;
  }
}
