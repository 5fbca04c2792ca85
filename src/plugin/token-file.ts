/**
 * The token file: where a running dev server tells tools on this machine (the hotwasm CLI) its
 * URL and its per-start token. Readable by the user only (0600, in a 0700 folder), written
 * whole (a temporary file renamed over it), removed when that server stops.
 *
 *   { "schema": 1, "url": "http://127.0.0.1:5173", "port": 5173, "token": "<64 hex>", "pid": 1234, "startedAt": 1700000000000 }
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface TokenFile {
  schema: 1;
  url: string;
  port: number;
  token: string;
  pid: number;
  startedAt: number;
}

/** `<root>/node_modules/.hotwasm/token.json`: the CLI looks there from the folder it runs in upwards. */
export function defaultTokenFile(root: string): string {
  return join(root, 'node_modules', '.hotwasm', 'token.json');
}

/** A fresh per-start token: 256 random bits, hex. */
export function newToken(): string {
  return randomBytes(32).toString('hex');
}

export async function writeTokenFile(path: string, content: TokenFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(temp, 0o600); // whatever the umask did
  await rename(temp, path);
}

/** Remove the file if it still holds `token` (a newer server may have written its own since). */
export async function removeTokenFile(path: string, token: string): Promise<void> {
  try {
    const current = JSON.parse(await readFile(path, 'utf8')) as Partial<TokenFile>;
    if (current.token === token) await rm(path, { force: true });
  } catch {
    // Gone already, or not ours to remove.
  }
}
