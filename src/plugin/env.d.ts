// Globals Node has that lib "ES2023" without "DOM" does not declare.

// src/shared/inspect.ts names Web Crypto's SubtleCrypto, a DOM type; in Node it is node:crypto's.
type SubtleCrypto = import('node:crypto').webcrypto.SubtleCrypto;

/** The part of the WebAssembly JS API the plugin uses (Node's V8 has all of it). */
declare namespace WebAssembly {
  function validate(bytes: Uint8Array<ArrayBuffer>): boolean;
  class Module {
    constructor(bytes: Uint8Array<ArrayBuffer>);
    static customSections(module: Module, name: string): ArrayBuffer[];
  }
}
