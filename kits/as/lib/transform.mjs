// asc transform of the hotwasm AssemblyScript kit: adds the `api_version` custom section that
// guest ABI v1 asks for. AssemblyScript has no syntax for custom sections, so this is done on the
// compiled module with binaryen's API — and so a plain `asc` build (as `hotwasm dev` runs it)
// produces a complete guest, with no post-processing step.
//
// Name it in asconfig.json:   "options": { "transform": ["./hotwasm-kit/transform.mjs"] }
// Declare another version in the entry file with   apiVersion("1.2.0");   (default "1.0.0").
import { LiteralKind, NodeKind, SourceKind } from "assemblyscript";

const DEFAULT_VERSION = "1.0.0";
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** The string given to a top-level `apiVersion("…")` call in the entry files, else null. */
export function declaredVersion(sources) {
  let found = null;
  for (const source of sources) {
    if (source.sourceKind !== SourceKind.UserEntry) continue;
    for (const statement of source.statements) {
      if (statement.kind !== NodeKind.Expression) continue;
      const call = statement.expression;
      if (call.kind !== NodeKind.Call || call.expression.kind !== NodeKind.Identifier) continue;
      if (call.expression.text !== "apiVersion") continue;
      const arg = call.args.length === 1 ? call.args[0] : null;
      if (!arg || arg.kind !== NodeKind.Literal || arg.literalKind !== LiteralKind.String) {
        throw new Error(`${source.normalizedPath}: apiVersion takes one string literal, e.g. apiVersion("1.0.0")`);
      }
      if (found !== null && found !== arg.value) {
        throw new Error(`apiVersion is declared twice, as "${found}" and "${arg.value}"`);
      }
      found = arg.value;
    }
  }
  if (found !== null && !SEMVER.test(found)) {
    throw new Error(`apiVersion("${found}") is not a semver version such as 1.0.0 (the host refuses to load it)`);
  }
  return found;
}

export default class HotwasmKitTransform {
  version = DEFAULT_VERSION;

  afterParse() {
    this.version = declaredVersion(this.program.sources) ?? DEFAULT_VERSION;
  }

  afterCompile(module) {
    module.addCustomSection("api_version", new TextEncoder().encode(this.version));
  }
}
