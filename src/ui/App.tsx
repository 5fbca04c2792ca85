/**
 * The app shell: header, live regions, the panels, and the window-wide drop zone. The work comes
 * first: the call, its result and its output, then the module's status; the source and its
 * state beside them on a wide screen; details and history below. The DOM order is the reading
 * and keyboard order, and on a narrow screen the Call panel is the first thing after the header.
 * Settings open in a dialog from the header.
 */
import type { AppStore, Engine } from '../store';
import './app.css';
import { CallPanel } from './call/CallPanel';
import { AppProvider } from './common/context';
import { ConsolePanel } from './console/ConsolePanel';
import { DeployPanel } from './deploy/DeployPanel';
import { DropZone } from './dropzone/DropZone';
import { Header } from './header/Header';
import { HistoryPanel } from './history/HistoryPanel';
import { ModulePanel } from './module/ModulePanel';
import { Notices } from './notices/Notices';
import { PanelBoundary } from './common/PanelBoundary';
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
          <div className="column column-work">
            <PanelBoundary name="Call">
              <CallPanel />
            </PanelBoundary>
            <PanelBoundary name="Console">
              <ConsolePanel />
            </PanelBoundary>
            <PanelBoundary name="Status">
              <StatusPanel />
            </PanelBoundary>
          </div>
          <div className="column column-edit">
            <PanelBoundary name="Source">
              <SourcePanel />
            </PanelBoundary>
            <PanelBoundary name="State">
              <StatePanel />
            </PanelBoundary>
          </div>
          <div className="column column-more">
            <PanelBoundary name="Module">
              <ModulePanel />
            </PanelBoundary>
            <PanelBoundary name="Deploy">
              <DeployPanel />
            </PanelBoundary>
            <PanelBoundary name="History">
              <HistoryPanel />
            </PanelBoundary>
          </div>
        </main>
        <DropZone />
      </div>
    </AppProvider>
  );
}
