// The image's one compile step: TypeScript's per-file transpile (no bundle, no type check),
// shared by the image build (stage-runtime.ts) and by `run-as-shipped.mjs`, which runs the
// source the same way without building an image. Plain JavaScript, so Node can load it before
// anything compiles TypeScript.
import ts from 'typescript';

// The same module semantics the source runs with under tsx: ESM, imports kept as written
// (verbatimModuleSyntax), one file at a time. A per-file transpile, not a bundle: OpenTelemetry
// patches pg, ioredis and http by hooking their imports from node_modules, which a bundle
// would bypass.
export const compilerOptions = {
  module: ts.ModuleKind.ESNext,
  target: ts.ScriptTarget.ES2023,
  verbatimModuleSyntax: true,
  sourceMap: true,
};

/** One TypeScript file as the image ships it: JavaScript and its source map. */
export function transpile(source, fileName, options = compilerOptions) {
  const { outputText, sourceMapText } = ts.transpileModule(source, { compilerOptions: options, fileName });
  return { code: outputText, map: sourceMapText };
}
