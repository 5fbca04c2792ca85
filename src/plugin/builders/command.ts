/**
 * A custom command (`--build "<cmd>" --artifact <file>`): run it through the shell in the
 * module's folder, then read the artifact it wrote.
 */
import { readArtifact } from '../artifact';
import { runStep } from './run-step';
import type { Builder } from './types';

export function commandBuilder(command: string, artifact: string, cwd: string): Builder {
  return {
    kind: 'command',
    artifact,
    async build(context) {
      const what = `The build command \`${command.length > 80 ? `${command.slice(0, 77)}...` : command}\``;
      const result = await runStep(command, [], { cwd, shell: true, what, install: 'install it, or fix the command given to --build' }, context);
      const bytes = await readArtifact(artifact, context.maxBytes, `${what} exited 0 but wrote no artifact`).catch((error: unknown) => {
        // Keep the command's output with the artifact's problem: it often says why.
        if (error instanceof Error && 'details' in error) Object.assign((error as { details: object }).details, { output: result.output, exitCode: 0 });
        throw error;
      });
      return { bytes, output: result.output };
    },
  };
}
