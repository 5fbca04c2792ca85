/**
 * Hand `blob` to the browser as a download named `name`. The object URL is let go a minute
 * later: revoked at once, some browsers cancel a download that has not started yet.
 */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A module's bytes as a `.wasm` download. */
export const wasmBlob = (bytes: Uint8Array): Blob => new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/wasm' });
