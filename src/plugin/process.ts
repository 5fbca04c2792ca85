/**
 * Run a build process: its own process group (so a timeout kills the compiler and everything it
 * started), stdout and stderr captured together as they come (a bounded tail), a time limit,
 * and an abort signal for when the dev server stops.
 */
import { spawn } from 'node:child_process';

/** What is kept of a build's output: its last 64 KiB, which holds the compiler's errors. */
export const OUTPUT_TAIL_CHARS = 64 * 1024;
/** After SIGTERM, a process group gets this long to exit before SIGKILL. */
const KILL_GRACE_MS = 2000;
/** After the process exits, pipes held open by an escaped grandchild are closed after this. */
const PIPE_GRACE_MS = 1000;

export interface ProcessOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Run `command` through the shell (a `--build "<cmd>"` string). */
  shell?: boolean;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Keep stdout whole and apart (a command that answers JSON), besides the interleaved tail. */
  captureStdout?: boolean;
}

export interface ProcessResult {
  exitCode: number | null;
  signal: string | null;
  /** The tail of stdout and stderr, interleaved. */
  output: string;
  /** All of stdout, with `captureStdout`; else empty. */
  stdout: string;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
}

/** The command could not be started at all (ENOENT: not installed; EACCES: not executable). */
export class SpawnError extends Error {
  constructor(
    readonly command: string,
    readonly errno: string,
    message: string,
  ) {
    super(message);
    this.name = 'SpawnError';
  }
}

/** A bounded text tail: appending past the limit drops the oldest characters. */
export class OutputTail {
  private text = '';
  constructor(private readonly limit = OUTPUT_TAIL_CHARS) {}
  push(chunk: string): void {
    this.text += chunk;
    if (this.text.length > this.limit * 2) this.text = this.text.slice(-this.limit);
  }
  toString(): string {
    return this.text.length > this.limit ? this.text.slice(-this.limit) : this.text;
  }
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    // A negative pid is the process group the child leads (spawned with detached: true).
    process.kill(process.platform === 'win32' ? pid : -pid, signal);
  } catch {
    // Already gone.
  }
}

export function runProcess(command: string, args: string[], options: ProcessOptions): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const output = new OutputTail();
    const stdout: string[] = [];
    let timedOut = false;
    let aborted = false;
    let settled = false;
    const timers: ReturnType<typeof setTimeout>[] = [];
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      shell: options.shell ?? false,
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const stop = () => {
      killGroup(child.pid, 'SIGTERM');
      timers.push(setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS));
    };
    const onAbort = () => {
      aborted = true;
      stop();
    };
    const done = (fn: () => void) => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      options.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      output.push(s);
      if (options.captureStdout) stdout.push(s);
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => output.push(s));
    child.on('error', (error: NodeJS.ErrnoException) => {
      // Spawn failures (ENOENT) arrive here, before any 'exit'.
      if (child.pid === undefined) {
        done(() => reject(new SpawnError(command, error.code ?? 'UNKNOWN', error.message)));
      }
    });
    child.on('exit', () => {
      timers.push(
        setTimeout(() => {
          child.stdout.destroy();
          child.stderr.destroy();
        }, PIPE_GRACE_MS),
      );
    });
    child.on('close', (exitCode, signal) => {
      // The group may hold processes that outlived the leader: stop them too.
      if (timedOut || aborted) killGroup(child.pid, 'SIGKILL');
      done(() => resolve({ exitCode, signal, output: output.toString(), stdout: stdout.join(''), timedOut, aborted, durationMs: performance.now() - started }));
    });
    timers.push(
      setTimeout(() => {
        timedOut = true;
        stop();
      }, options.timeoutMs),
    );
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
