/** The app shell: header, live regions, the panels in a grid (Config spans it below), and the window-wide drop zone. */
import type { AppStore, Engine } from '../store';
import './app.css';
import { CallPanel } from './call/CallPanel';
import { AppProvider } from './common/context';
import { ConfigPanel } from './config/ConfigPanel';
import { ConsolePanel } from './console/ConsolePanel';
import { DropZone } from './dropzone/DropZone';
import { Header } from './header/Header';
import { HistoryPanel } from './history/HistoryPanel';
import { ModulePanel } from './module/ModulePanel';
import { Notices } from './notices/Notices';
import { SourcePanel } from './source/SourcePanel';
import { StatePanel } from './state/StatePanel';
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
            <StatePanel />
          </div>
          <div className="column column-main">
            <CallPanel />
            <SourcePanel />
            <ConsolePanel />
            <HistoryPanel />
          </div>
          {/* Spans both columns, and comes last in the DOM: the keyboard reaches Call before the long settings form. */}
          <ConfigPanel />
        </main>
        <DropZone />
      </div>
    </AppProvider>
  );
}
