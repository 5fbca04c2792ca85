/** The app shell: header, live regions, the panels in a grid, and the window-wide drop zone. */
import type { AppStore, Engine } from '../store';
import './app.css';
import { CallPanel } from './call/CallPanel';
import { AppProvider } from './common/context';
import { ConsolePanel } from './console/ConsolePanel';
import { DropZone } from './dropzone/DropZone';
import { Header } from './header/Header';
import { ModulePanel } from './module/ModulePanel';
import { Notices } from './notices/Notices';
import { StatusPanel } from './status/StatusPanel';

export function App({ engine, store }: { engine: Engine; store: AppStore }) {
  return (
    <AppProvider engine={engine} store={store}>
      <div className="app">
        <Header />
        <Notices />
        <main className="panels">
          <div className="column column-side">
            <StatusPanel />
            <ModulePanel />
          </div>
          <div className="column column-main">
            <CallPanel />
            <ConsolePanel />
          </div>
        </main>
        <DropZone />
      </div>
    </AppProvider>
  );
}
