/**
 * Drop .wasm files anywhere on the window to load them. Only drags that carry files are taken
 * (dragging text or a link around the page does nothing); each dropped file is loaded as a
 * module of its own, named after it. A folder cannot be loaded: the page says so.
 */
import { useEffect, useState } from 'react';
import { selectNoticeActions } from '../../store';
import { useAppStore, useEngine } from '../common/context';
import { startLoad } from '../common/load';
import { droppedFiles, foldersMessage } from './dropped';

const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;

export function DropZone() {
  const engine = useEngine();
  const notices = useAppStore(selectNoticeActions);
  const [active, setActive] = useState(false);

  useEffect(() => {
    // dragenter/dragleave fire for every element crossed: count them to know when the drag left the window.
    let depth = 0;
    const reset = () => {
      depth = 0;
      setActive(false);
    };
    const onEnter = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth++;
      setActive(true);
    };
    const onOver = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      // Without this the browser would open the file instead of dropping it here.
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const onLeave = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) reset();
    };
    const onDrop = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      reset();
      const { files, folders } = droppedFiles(event.dataTransfer);
      for (const file of files) startLoad(engine, file);
      // Not a load's error: a module that loads from the same drop must not clear it.
      if (folders.length > 0) notices.reportError({ code: 'folder', message: foldersMessage(folders) }, 'drop');
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    window.addEventListener('dragend', reset);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
      window.removeEventListener('dragend', reset);
    };
  }, [engine, notices]);

  if (!active) return null;
  return (
    <div className="drop-overlay" aria-hidden="true">
      <div className="drop-message">Drop .wasm files to load them</div>
    </div>
  );
}
