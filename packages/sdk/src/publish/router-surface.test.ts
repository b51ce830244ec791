import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { emitRouterSurface } from './emit-router-surface.js';
import { NotPlainTypeError, printPlainType, printPlainTypes } from './print-plain-type.js';
import { surfaceFile } from './surface-file.js';

const sdkRoot = fileURLToPath(new URL('../../', import.meta.url));
const committed = readFileSync(surfaceFile, 'utf8');

/** The checker and the type of `Probe` in a one-file program. */
function probe(source: string) {
  const file = '/probe.ts';
  const host = ts.createCompilerHost({ strict: true });
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version) =>
    name === file ? ts.createSourceFile(name, source, version) : read(name, version);
  const program = ts.createProgram({ rootNames: [file], options: { strict: true, noEmit: true }, host });
  const checker = program.getTypeChecker();
  const alias = program
    .getSourceFile(file)
    ?.statements.find(
      (node): node is ts.TypeAliasDeclaration =>
        ts.isTypeAliasDeclaration(node) && node.name.text === 'Probe',
    );
  if (!alias) throw new Error('no Probe');
  return { checker, type: checker.getTypeAtLocation(alias.name) };
}

describe("the routers' public surface", () => {
  it('is committed as the routers say it now (run `npm run surface -w @mesh/sdk` to acknowledge a change)', () => {
    expect(emitRouterSurface()).toBe(committed);
  });

  it('names nothing outside @trpc/server: no Prisma type, no service, no workspace package', () => {
    expect(committed).not.toMatch(/generated\/prisma|@prisma|from '@mesh\/|import\(['"]/);
    expect(committed.match(/from '[^']+'/g)).toEqual(["from '@trpc/server'"]);
    const program = ts.createProgram({
      rootNames: [surfaceFile],
      options: {
        strict: true,
        noEmit: true,
        module: ts.ModuleKind.NodeNext,
        lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts', 'lib.dom.d.ts'],
        types: [],
      },
    });
    const errors = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(errors).toEqual([]);
  });

  it('spells out BigInt, Date, optional fields and unions', () => {
    expect(committed).toMatch(/getUsers: TRPCQueryProcedure<\{\s+input: \{\s+ids: bigint\[\];/);
    expect(committed).toMatch(/createdAt: Date;/);
  });

  it('has a CHANGELOG entry for the version it is published as', () => {
    const { version } = JSON.parse(readFileSync(`${sdkRoot}package.json`, 'utf8')) as { version: string };
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(readFileSync(`${sdkRoot}CHANGELOG.md`, 'utf8')).toContain(`## ${version}\n`);
  });
});

describe('printPlainType', () => {
  it('spells a named interface out property by property', () => {
    const { checker, type } = probe(
      'interface User { id: bigint; at: Date; tags?: string[] } type Probe = User | null;',
    );
    expect(printPlainType(checker, type, 'Probe').replace(/\s+/g, ' ')).toBe(
      'null | { id: bigint; at: Date; tags?: undefined | string[]; }',
    );
  });

  it('refuses a class instance with methods, naming the path', () => {
    const { checker, type } = probe(
      'class Decimal { constructor(readonly v: string) {} toFixed() { return this.v; } } type Probe = { price: Decimal };',
    );
    expect(() => printPlainType(checker, type, 'Probe')).toThrow(NotPlainTypeError);
    expect(() => printPlainType(checker, type, 'Probe')).toThrow(/Probe\.price\.toFixed/);
  });

  it('names a recursive alias once instead of expanding it forever', () => {
    const { checker, type } = probe(
      'type Json = string | Json[] | { [key: string]: Json }; type Probe = { payload: Json };',
    );
    const { result, aliases } = printPlainTypes(checker, () => printPlainType(checker, type, 'Probe'));
    expect(result.replace(/\s+/g, ' ')).toBe('{ payload: Json; }');
    expect(aliases.map((alias) => alias.replace(/\s+/g, ' '))).toEqual([
      'type Json = string | Json[] | { [key: string]: Json; };',
    ]);
  });
});
