/**
 * A bare .wasm written by another tool (an IDE, `make` in another terminal): no build, only
 * watching, and reading the file once it is complete (see readCompleteArtifact).
 */
import { readCompleteArtifact } from '../artifact';
import type { Builder } from './types';

export interface ArtifactTiming {
  /** Between two looks at the file's size and mtime, when it is not taken at once (default 50 ms). */
  pollMs?: number;
  /** How long a cut-short module may stay unchanged before it is reported (default 2000 ms). */
  settleMs?: number;
}

export function artifactBuilder(artifact: string, timing: ArtifactTiming = {}): Builder {
  return {
    kind: 'artifact',
    artifact,
    async build(context) {
      const bytes = await readCompleteArtifact(artifact, {
        maxBytes: context.maxBytes,
        pollMs: timing.pollMs ?? 50,
        settleMs: timing.settleMs ?? 2000,
        timeoutMs: context.timeoutMs,
        signal: context.signal,
        onWaiting: context.onWaiting,
      });
      return { bytes, output: '', checked: true }; // readCompleteArtifact takes only a module that passed checkModuleBytes
    },
  };
}
