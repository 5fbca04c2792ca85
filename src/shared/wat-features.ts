/**
 * The WebAssembly features wabt parses and validates .wat text with, shared by the dev-server's
 * .wat builder (Node) and the in-browser WAT toolchain (src/editor), so that the same text
 * builds to the same bytes — and the same sha256 — in both. `annotations` keeps
 * `(@custom ...)` sections (the api_version), which Debian's wat2wasm drops.
 */
export const WAT_FEATURES = {
  annotations: true,
  bulk_memory: true,
  mutable_globals: true,
  sign_extension: true,
  sat_float_to_int: true,
  multi_value: true,
} as const;
