/**
 * The app store: slices, selectors and the bridge from engine events. No React here.
 *
 * The UI imports engine types and helpers from here rather than from src/core, so the only
 * module that knows about the engine's construction is the boot code (src/main.tsx).
 */
export { createAppStore, type AppState, type AppStore } from './app-store';
export type { StorageMode } from './storage-slice';
export { AFTER_UPDATE_MS, connectEngine } from './bridge';
export { type ConsoleLine, type Stream, MAX_LINES } from './console-slice';
export { CONFIG_STORAGE_KEY, localConfigStorage } from './config-storage';
export { MAX_RECORDS, OUTCOMES, filterRecords } from './history-slice';
export { type ModuleEntry, type ModulesData, reduceModules } from './modules-slice';
export { MAX_CHECKPOINTS, reduceCheckpoints, type CheckpointsData, type ModuleCheckpoints } from './checkpoints-slice';
export type { LiveConnection, LiveData } from './live-slice';
export type { ErrorNotice, InfoNotice } from './notices-slice';
export type { CallPickRequest } from './call-pick-slice';
export { TRAFFIC_SECONDS, mergeTraffic, reduceDeploy, type DeployData, type ModuleDeploy } from './deploy-slice';
export type { Decision, Deployment, DeploymentOutcome, DeploymentPhase, DeploymentStatus, DeployOptions, Divergence, InstanceView, Strategy, StrategyKind, TrafficPoint, TrafficShare, WindowStats } from '../core/deploy/types';
export * from './selectors';
export { CONFIG_RULES, DEFAULT_CONFIG, STEP_WORDS, configProblem, formatSignature, HotwasmError, isRefusalStory, refusalMessage, sentence } from '../core';
export type {
  CheckpointInfo,
  CheckpointRef,
  StateProbe,
  Engine,
  EngineConfig,
  EngineState,
  EngineStatus,
  EngineEvent,
  ExportInfo,
  ImportInfo,
  LoadOptions,
  ModuleInfo,
  ModuleStatus,
  RawValue,
  RefusalStory,
  RunResult,
  TimedResult,
  UpdateOutcome,
  UpdateRecord,
  UpdateStep,
  UpdateTrigger,
  VersionInfo,
  VersionRef,
} from '../core';
