/**
 * How panels reach the engine and the store: one React context, set once by the shell.
 * Panels read state with {@link useAppStore} (a selector over the vanilla store) and call
 * engine methods through {@link useEngine}; engine results reach the store through the bridge.
 */
import { createContext, type ReactNode, useContext } from 'react';
import { useStore } from 'zustand';
import type { AppState, AppStore, Engine } from '../../store';

interface AppContextValue {
  engine: Engine;
  store: AppStore;
}

const AppContext = createContext<AppContextValue | null>(null);

export function AppProvider({ engine, store, children }: AppContextValue & { children: ReactNode }) {
  return <AppContext value={{ engine, store }}>{children}</AppContext>;
}

function useAppContext(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('hotwasm UI: a panel was rendered outside <AppProvider>');
  return value;
}

export const useEngine = (): Engine => useAppContext().engine;
export const useAppStoreApi = (): AppStore => useAppContext().store;

/** Read a slice of the app state; the component re-renders when the selected value changes. */
export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(useAppContext().store, selector);
}
