/**
 * hotwasm core: the framework-free engine. No React, no DOM rendering.
 *
 *   import { createEngine } from 'hotwasm/core';
 *   const engine = createEngine();
 *   await engine.load('/examples/counter.wasm');
 *   await engine.call('increment', 5);
 */
export { createEngine } from './engine';
export type { ConfigFacade, Engine, EngineEvent, EngineOptions, EngineState, EngineStatus, LoadOptions, RunOptions } from './engine';
export type { ModuleInfo } from './module-host';
export { CONFIG_RULES, DEFAULT_CONFIG, configProblem, type ConfigStorage, type EngineConfig, type StoredConfig } from './config';
export type { UpdateOutcome, UpdateRecord, UpdateStep, UpdateTrigger, VersionRef } from './history';
export type { ModuleSource } from './sources';
export type { WorkerLike } from './rpc';
export { HotwasmError, type ErrorCode } from '../shared/errors';
export type { ExportInfo, ImportInfo, ModuleLayoutInfo } from '../shared/inspect';
export { formatSignature } from '../shared/inspect';
export type { RawValue, RunResult, Settled, MeasureResult } from '../shared/protocol';
