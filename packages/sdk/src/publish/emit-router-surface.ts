import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { NotPlainTypeError, printPlainType, printPlainTypes } from './print-plain-type.js';

const sdkRoot = fileURLToPath(new URL('../../', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
/** The module whose exports are the routers the SDK types its clients by. */
export const routersModule = `${sdkRoot}src/routers.ts`;

const header = `// The public surface of the mesh's services, as the SDK's clients see it: every procedure's kind,
// input and output, spelled out as plain types. Written by \`npm run surface -w @mesh/sdk\` from the
// services' routers; a test fails when it differs from what the routers say now, so a change to a
// procedure shows in review here, and a breaking one fails until acknowledged (see CHANGELOG.md).
// biome-ignore-all lint: printed by the type checker; an input of void is how tRPC says "no input".
import type {
  TRPCBuiltRouter,
  TRPCMutationProcedure,
  TRPCQueryProcedure,
  TRPCSubscriptionProcedure,
} from '@trpc/server';
`;

const procedureKinds = {
  query: 'TRPCQueryProcedure',
  mutation: 'TRPCMutationProcedure',
  subscription: 'TRPCSubscriptionProcedure',
} as const;

function propertyType(checker: ts.TypeChecker, type: ts.Type, name: string, where: string): ts.Type {
  const property = checker.getPropertyOfType(type, name);
  if (!property) throw new NotPlainTypeError(`${where}: has no '${name}'`);
  return checker.getTypeOfSymbol(property);
}

function typePath(checker: ts.TypeChecker, type: ts.Type, names: string[], where: string): ts.Type {
  return names.reduce((current, name) => propertyType(checker, current, name, where), type);
}

function printRecord(checker: ts.TypeChecker, record: ts.Type, meta: string, where: string): string {
  const entries = checker.getPropertiesOfType(record).map((entry) => {
    const name = entry.getName();
    const path = `${where}.${name}`;
    const value = checker.getTypeOfSymbol(entry);
    const def = propertyType(checker, value, '_def', path);
    if (!checker.getPropertyOfType(def, 'procedure'))
      return `${name}: ${printRecord(checker, value, meta, path)};`;
    const kind = checker.typeToString(propertyType(checker, def, 'type', path)).replaceAll("'", '"');
    const wrapper = procedureKinds[JSON.parse(kind) as keyof typeof procedureKinds];
    if (!wrapper) throw new NotPlainTypeError(`${path}: unknown procedure kind ${kind}`);
    const types = propertyType(checker, def, '$types', path);
    const input = printPlainType(checker, propertyType(checker, types, 'input', path), `${path} input`);
    const output = propertyType(checker, types, 'output', path);
    const printedOutput =
      wrapper === 'TRPCSubscriptionProcedure'
        ? `AsyncIterable<${printPlainType(checker, asyncIterableYield(checker, output, path), `${path} event`)}>`
        : printPlainType(checker, output, `${path} output`);
    return `${name}: ${wrapper}<{ input: ${input}; output: ${printedOutput}; meta: ${meta} }>;`;
  });
  return `{\n${entries.join('\n')}\n}`;
}

function asyncIterableYield(checker: ts.TypeChecker, type: ts.Type, path: string): ts.Type {
  const reference = type as ts.TypeReference;
  const name = type.getSymbol()?.getName();
  const [yielded] = checker.getTypeArguments(reference);
  if (!name?.startsWith('Async') || !yielded)
    throw new NotPlainTypeError(`${path}: a subscription output that is not an AsyncIterable`);
  return yielded;
}

function printRouter(checker: ts.TypeChecker, name: string, router: ts.Type): string {
  const def = propertyType(checker, router, '_def', name);
  const rootTypes = typePath(checker, def, ['_config', '$types'], name);
  const meta = printPlainType(checker, propertyType(checker, rootTypes, 'meta', name), `${name} meta`);
  const errorShape = printPlainType(
    checker,
    propertyType(checker, rootTypes, 'errorShape', name),
    `${name} errorShape`,
  );
  const transformer = checker.typeToString(propertyType(checker, rootTypes, 'transformer', name));
  const record = printRecord(checker, propertyType(checker, def, 'record', name), meta, name);
  return `export type ${name} = TRPCBuiltRouter<\n{ ctx: object; meta: ${meta}; errorShape: ${errorShape}; transformer: ${transformer} },\n${record}\n>;\n`;
}

/** Formats as the repo's Biome configuration would, so the committed file passes `biome check`. */
function format(text: string): string {
  const biome = spawnSync(
    `${repoRoot}node_modules/.bin/biome`,
    ['format', `--stdin-file-path=${sdkRoot}api/routers.d.ts`],
    { input: text, encoding: 'utf8', cwd: repoRoot },
  );
  if (biome.status !== 0) throw new Error(`biome format failed: ${biome.stderr}`);
  return biome.stdout;
}

/**
 * The routers' declaration as the published SDK carries it: each router rebuilt from
 * @trpc/server's public types with every procedure's input and output printed as plain types
 * by the type checker, the context replaced by `object` (a client never sees it), so it
 * references nothing but `@trpc/server`.
 */
export function emitRouterSurface(): string {
  const config = ts.getParsedCommandLineOfConfigFile(
    `${sdkRoot}tsconfig.json`,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error('cannot read packages/sdk/tsconfig.json');
  const program = ts.createProgram({ rootNames: [routersModule], options: config.options });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(routersModule);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`cannot read ${routersModule}`);
  const { result: routers, aliases } = printPlainTypes(checker, () =>
    checker
      .getExportsOfModule(moduleSymbol)
      .map((exported) => {
        const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
        return printRouter(checker, exported.getName(), checker.getDeclaredTypeOfSymbol(target));
      })
      .sort(),
  );
  return format(`${header}\n${aliases.join('\n')}\n${routers.join('\n')}`);
}
