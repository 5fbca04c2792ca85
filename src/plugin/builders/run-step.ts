/**
 * Run one toolchain step for a builder and turn what can go wrong into a {@link BuildError}
 * whose message says what to do: not installed (with the install command), killed at the time
 * limit, or exited non-zero (with its output).
 */
import { SpawnError, runProcess, type ProcessResult } from '../process';
import { BuildError, type BuildContext } from './types';

export interface StepOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  shell?: boolean;
  captureStdout?: boolean;
  /** What to say when the command is not installed: "apt-get install …". */
  install: string;
  /** The step in words, for messages: "cargo build". */
  what: string;
}

/** Exit status a POSIX shell gives a command it cannot find. */
const SHELL_NOT_FOUND = 127;

export async function runStep(command: string, args: string[], options: StepOptions, context: BuildContext): Promise<ProcessResult> {
  let result: ProcessResult;
  try {
    result = await runProcess(command, args, { cwd: options.cwd, env: options.env, shell: options.shell, captureStdout: options.captureStdout, timeoutMs: context.timeoutMs, signal: context.signal });
  } catch (error) {
    if (error instanceof SpawnError && error.errno === 'ENOENT') {
      throw new BuildError('toolchain-missing', `${command} was not found: ${options.install}`);
    }
    if (error instanceof SpawnError) throw new BuildError('build-failed', `${options.what} could not start: ${error.message}`);
    throw error;
  }
  const details = { output: result.output, exitCode: result.exitCode, signal: result.signal };
  if (result.aborted) throw new BuildError('internal', `${options.what} was stopped: the dev server is closing`, details);
  if (result.timedOut) {
    throw new BuildError('timeout', `${options.what} ran past its ${Math.round(context.timeoutMs / 100) / 10} s limit (buildTimeoutMs) and was killed`, details);
  }
  if (options.shell && result.exitCode === SHELL_NOT_FOUND) {
    const program = command.trim().split(/\s+/)[0] ?? command;
    throw new BuildError('toolchain-missing', `${options.what} failed: the shell could not find a command (exit code 127; is \`${program}\` installed?). ${options.install}`, details);
  }
  if (result.exitCode !== 0) {
    const how = result.exitCode === null ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
    throw new BuildError('build-failed', `${options.what} ${how}`, details);
  }
  return result;
}
