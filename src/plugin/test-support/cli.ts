/** The CLI (bin/hotwasm.mjs), spawned as a user runs it, without the HOTWASM_ variables of the test run. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../../bin/hotwasm.mjs', import.meta.url));
const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HOTWASM_')));

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: { ...baseEnv, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
