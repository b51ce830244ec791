import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  checkGraph,
  describeCycle,
  findCycle,
  readWorkspace,
  specifiersOf,
  type WorkspacePackage,
} from './import-graph.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('the workspace package graph', async () => {
  const { packages, files } = await readWorkspace(root);
  const report = checkGraph(packages, files);
  const show = (edges: typeof report.imports) =>
    edges.map((edge) => `${edge.file}: ${edge.from} imports '${edge.specifier}'`).join('\n');

  it('reads the real packages and their imports', () => {
    const names = packages.map((pkg) => pkg.name);
    expect(names).toEqual(expect.arrayContaining(['@mesh/kit', '@mesh/client', '@mesh/sdk', '@mesh/bench']));
    // A graph with no edges would pass every check below; the kit's own imports are known.
    expect(report.imports).toContainEqual(expect.objectContaining({ from: '@mesh/kit', to: '@mesh/wire' }));
  });

  it('has no cycle, type imports and devDependencies included', () => {
    expect(report.cycle && describeCycle(report.cycle, report.imports), 'cycle').toBeNull();
  });

  it('declares every workspace import in the importer’s package.json', () => {
    expect(show(report.undeclared), 'undeclared imports').toBe('');
  });

  it('imports only workspace packages that exist', () => {
    expect(show(report.unknown), 'unknown packages').toBe('');
  });

  it('keeps the services off the aggregate SDK, so it can depend on them', () => {
    const onSdk = report.imports.filter(
      (edge) => edge.to === '@mesh/sdk' && edge.file.startsWith('services/'),
    );
    expect(show(onSdk)).toBe('');
  });

  it('keeps the bench package a leaf: no workspace package beneath it', () => {
    expect(packages.find((pkg) => pkg.name === '@mesh/bench')?.declared).toEqual([]);
  });
});

describe('checkGraph', () => {
  const pkg = (name: string, declared: string[] = []): WorkspacePackage => ({
    name: `@mesh/${name}`,
    dir: `packages/${name}`,
    declared: declared.map((dep) => `@mesh/${dep}`),
  });

  it('finds a cycle made of a type import one way and a dynamic import back', () => {
    const report = checkGraph(
      [pkg('a', ['b']), pkg('b', ['a'])],
      [
        { path: 'packages/a/src/x.ts', text: "import type { B } from '@mesh/b/router';" },
        { path: 'packages/b/src/y.ts', text: "export const load = () => import('@mesh/a');" },
      ],
    );
    expect(report.cycle).toEqual(['@mesh/a', '@mesh/b', '@mesh/a']);
    expect(describeCycle(report.cycle ?? [], report.imports)).toBe(
      "@mesh/a -> @mesh/b  (packages/a/src/x.ts: '@mesh/b/router')\n" +
        "@mesh/b -> @mesh/a  (packages/b/src/y.ts: '@mesh/a')",
    );
  });

  it('finds a cycle closed only by a devDependency in package.json', () => {
    const report = checkGraph(
      [pkg('kit', ['cli']), pkg('cli', ['kit'])],
      [{ path: 'packages/cli/src/z.ts', text: "import { k } from '@mesh/kit';" }],
    );
    expect(report.cycle).toEqual(['@mesh/cli', '@mesh/kit', '@mesh/cli']);
  });

  it('reports an undeclared import, an export-from included, and ignores self-imports', () => {
    const report = checkGraph(
      [pkg('a'), pkg('b')],
      [{ path: 'packages/a/bench/x.ts', text: "export { b } from '@mesh/b';\nimport { a } from '@mesh/a';" }],
    );
    expect(report.undeclared).toEqual([
      { from: '@mesh/a', to: '@mesh/b', file: 'packages/a/bench/x.ts', specifier: '@mesh/b' },
    ]);
    expect(report.cycle).toBeNull();
  });

  it('counts an undeclared import as an arrow of a cycle', () => {
    const report = checkGraph(
      [pkg('a', ['b']), pkg('b')],
      [{ path: 'packages/b/src/y.ts', text: "import type { A } from '@mesh/a';" }],
    );
    expect(report.cycle).toEqual(['@mesh/a', '@mesh/b', '@mesh/a']);
  });

  it('finds a longer cycle and none in a diamond', () => {
    const chain = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
    ]);
    expect(findCycle(chain)).toEqual(['a', 'b', 'c', 'a']);
    const diamond = new Map([
      ['a', new Set(['b', 'c'])],
      ['b', new Set(['d'])],
      ['c', new Set(['d'])],
      ['d', new Set<string>()],
    ]);
    expect(findCycle(diamond)).toBeNull();
  });
});

describe('specifiersOf', () => {
  it('sees every form of import and none in comments or strings', () => {
    const text = [
      "import type { A } from '@mesh/a';",
      "export * from '@mesh/b';",
      "const c = await import('@mesh/c');",
      "type D = import('@mesh/d').D;",
      "import '@mesh/e';",
      "// import x from '@mesh/comment';",
      'const s = "import(\'@mesh/string\')";',
    ].join('\n');
    expect(specifiersOf(text)).toEqual(['@mesh/a', '@mesh/b', '@mesh/c', '@mesh/d', '@mesh/e']);
  });
});
