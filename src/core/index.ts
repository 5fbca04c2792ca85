/**
 * hotwasm core: the framework-free engine. No React, no DOM rendering.
 *
 *   import { createEngine } from 'hotwasm/core';
 *   const engine = createEngine();
 *   await engine.load('/examples/counter.wasm');
 *   await engine.call('increment', 5);
 */
export { createEngine } from './engine';
export type { Engine, EngineEvent, EngineOptions, EngineState, EngineStatus, LoadOptions, RunOptions } from './engine';
export type { ModuleInfo } from './module-host';
export { DEFAULT_CONFIG, type EngineConfig } from './config';
export type { ModuleSource } from './sources';
export type { WorkerLike } from './rpc';
export { HotwasmError, type ErrorCode } from '../shared/errors';
export type { ExportInfo, ImportInfo, ModuleLayoutInfo } from '../shared/inspect';
export { formatSignature } from '../shared/inspect';
export type { RawValue, RunResult, Settled, MeasureResult } from '../shared/protocol';
