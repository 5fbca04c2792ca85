/**
 * What a drop carries: the files to load, and the folders that cannot be. A folder dragged from
 * a file manager arrives as one more "file" (which cannot be read); only its entry tells it apart.
 */

/** The part of a DataTransfer read here (a real one, or a test's stand-in). */
export interface DropData {
  readonly items?: ArrayLike<Pick<DataTransferItem, 'kind' | 'getAsFile'> & { webkitGetAsEntry?(): { isDirectory: boolean; name: string } | null }>;
  readonly files: ArrayLike<File>;
}

export interface Dropped {
  files: File[];
  /** Names of the folders dropped. */
  folders: string[];
}

/** Split a drop into files and folders. Read it in the drop event itself: the data is gone after. */
export function droppedFiles(data: DropData | null | undefined): Dropped {
  const dropped: Dropped = { files: [], folders: [] };
  if (!data) return dropped;
  const items = Array.from(data.items ?? []).filter((item) => item.kind === 'file');
  if (items.length === 0) {
    dropped.files = Array.from(data.files);
    return dropped;
  }
  for (const item of items) {
    const file = item.getAsFile();
    const entry = item.webkitGetAsEntry?.() ?? null;
    if (entry?.isDirectory) dropped.folders.push(entry.name || file?.name || 'a folder');
    else if (file) dropped.files.push(file);
  }
  return dropped;
}

/** Why the folders of a drop were not loaded. */
export function foldersMessage(folders: readonly string[]): string {
  const names = folders.length === 1 ? `${folders[0]} is a folder` : `${folders.slice(0, -1).join(', ')} and ${folders.at(-1)} are folders`;
  return `${names}: folders cannot be loaded; drop the .wasm files`;
}
