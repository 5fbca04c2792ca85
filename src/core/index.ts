/**
 * hotwasm: the framework-free engine. No React, no DOM rendering.
 *
 *   import { createEngine } from 'hotwasm';
 *   const engine = createEngine();
 *   await engine.load('/examples/counter.wasm');
 *   await engine.call('increment', 5);
 *   await engine.module('counter').rollback();
 */
export { createEngine } from './engine';
export { connectDevServer, connectLivePush, type FetchLike, type HotChannel, type LivePushEvent, type LivePushOptions, type PushTarget } from './live-push';
export type { ConfigFacade, Engine, EngineOptions, EngineState, EngineStatus, LoadOptions, ModuleHandle, RunOptions, StopResult } from './api';
export type { CheckpointInfo, EngineEvent, EngineEventType, ErrorAction, ModuleState, ModuleStatus } from './events';
export type { InstanceState, ModuleInfo, Resumed, TimedResult } from './instance';
export { CONFIG_RULES, DEFAULT_CONFIG, configProblem, type ConfigStorage, type EngineConfig, type StoredConfig } from './config';
export type { UpdateOutcome, UpdateRecord, UpdateStep, UpdateTrigger, VersionRef } from './history';
export { STEP_WORDS, freshGetsPast, isRefusalStory, refusalMessage, sentence, type Audience, type Refusal, type RefusalCode, type RefusalStory } from './pipeline/refusal';
export { MemoryRegistry, type CheckpointRecord, type ModuleRecord, type Registry, type VersionRecord } from './registry';
export { openingRegistry } from './opening-registry';
export {
  openIndexedDbRegistry,
  verifiedBytes,
  DB_VERSION,
  IndexedDbRegistry,
  type ChangeNotice,
  type IndexedDbRegistryOptions,
  type OpenRegistryResult,
  type UnreadableRecord,
  type VerifiedBytes,
} from '../registry/idb-registry';
export { exportRegistry, importRegistry, type ImportReport } from '../registry/transfer';
export type { VersionInfo } from './versions';
export type { CheckpointRef, InjectOptions, StateProbe } from './state';
export type { ModuleSource } from './sources';
export type { WorkerLike } from './rpc';
export type { Clock } from './clock';
export { ManualClock } from './manual-clock';
export type { SparePolicy } from './spares';
export { HotwasmError, type ErrorCode, type SerializedError } from '../shared/errors';
export type { ExportInfo, ImportInfo, ModuleLayoutInfo } from '../shared/inspect';
export { formatSignature } from '../shared/inspect';
export { compareLayouts, sameSignature, type CustomSectionInfo, type EntryDiff, type InterfaceAspect, type LayoutComparison, type ListDiff, type MemoryAspect, type MemoryDiff, type SectionAspect } from '../shared/compare';
export type { RawValue, RunResult, Settled, MeasureResult } from '../shared/protocol';
export type { CallSample } from './call-trace';
export type {
  CanarySettings,
  Decision,
  Deployment,
  DeploymentOutcome,
  DeploymentPhase,
  DeploymentStatus,
  DeployOptions,
  Divergence,
  InstanceView,
  Strategy,
  StrategyKind,
  TrafficPoint,
  TrafficShare,
  WindowStats,
} from './deploy/types';
export { MAX_INSTANCES } from './deploy/manager';
