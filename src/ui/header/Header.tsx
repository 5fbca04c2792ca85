/** The page header: the app name, the examples, the file picker, the URL form and Settings. */
import { type FormEvent, useId, useState } from 'react';
import { useEngine } from '../common/context';
import { startLoad } from '../common/load';
import { SettingsButton } from '../settings/SettingsDialog';
import { ExamplesMenu } from './ExamplesMenu';

export function Header() {
  const engine = useEngine();
  const [url, setUrl] = useState('');
  const urlId = useId();

  const onFile = (event: React.ChangeEvent<HTMLInputElement>) => {
    // Each file picked is a module of its own, named after it.
    const files = Array.from(event.currentTarget.files ?? []);
    // Reset so picking the same file again (after rebuilding it) loads it again.
    event.currentTarget.value = '';
    for (const file of files) startLoad(engine, file);
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const trimmed = url.trim();
    if (trimmed) startLoad(engine, trimmed);
  };

  return (
    <header className="app-header">
      <h1 className="app-title">
        <img src={`${import.meta.env.BASE_URL}favicon.svg`} alt="" width={22} height={22} />
        hotwasm
      </h1>
      <p className="app-tagline">Load a WebAssembly module, call it, watch it.</p>
      <div className="header-actions">
        <ExamplesMenu />
        <label className="button button-primary file-button">
          <input type="file" accept=".wasm,application/wasm" multiple onChange={onFile} className="file-input" />
          Load module
        </label>
        {/* Before the URL form: on a narrow screen the form takes a row of its own, under the buttons. */}
        <SettingsButton />
        <form className="url-form" onSubmit={onSubmit}>
          <label htmlFor={urlId}>Module URL</label>
          <input
            id={urlId}
            type="text"
            inputMode="url"
            autoComplete="url"
            spellCheck={false}
            placeholder="a .wasm file’s URL, e.g. examples/counter.wasm"
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
          />
          <button type="submit" className="button" disabled={url.trim() === ''}>
            Load URL
          </button>
        </form>
      </div>
    </header>
  );
}
