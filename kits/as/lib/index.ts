// The hotwasm AssemblyScript kit: everything a guest imports by name.
//
//   import { json, state, Value } from "../hotwasm-kit/index";
//   export * from "../hotwasm-kit/exports";   // alloc, dealloc, save_state, restore_state, health_check
//
// The api_version custom section is added by the kit's transform (transform.mjs, named in
// asconfig.json): "1.0.0" unless the entry file declares another with apiVersion("x.y.z").
export { Kind, Value } from "./value";
export { parseJSON, parseJSONBytes, parseError } from "./parse";
export { fromValue, decodeError, stringify, writeJSON } from "./convert";
export { json, json0, text, bytes, utf8, concat, pack, returnBytes, returnString, returnError } from "./call";
export { state, customState, healthCheck, UNVERSIONED, StateWriter, StateReader } from "./state";

/** Declares the guest's API version (read by transform.mjs at compile time; does nothing at run time). */
// @ts-ignore: decorator
@inline export function apiVersion(version: string): void {}
