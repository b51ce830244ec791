import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { transpile } from '../../deploy/image/transpile.mjs';
import { repoRoot } from './support/deploy-tree.js';

const dir = mkdtempSync(join(tmpdir(), 'mesh-as-shipped-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// TypeScript that needs a compiler, not type stripping: an enum and a parameter property, and
// an import written for the compiled output (`./shape.js` for `shape.ts`).
writeFileSync(
  join(dir, 'shape.ts'),
  'export enum Kind { Square = 4, Triangle = 3 }\nexport class Shape { constructor(readonly kind: Kind) {} }\n',
);
writeFileSync(
  join(dir, 'main.ts'),
  [
    "import { Kind, Shape } from './shape.js';",
    'const sides = (shape: Shape): number => shape.kind;',
    'console.log(JSON.stringify({ sides: sides(new Shape(Kind.Triangle)), name: Kind[4], source: String(sides) }));',
  ].join('\n'),
);

describe('run-as-shipped', () => {
  it("runs TypeScript compiled by the image's own transpile, resolving .js imports to .ts", () => {
    const run = spawnSync(
      process.execPath,
      ['--import', join(repoRoot, 'deploy/image/run-as-shipped.mjs'), join(dir, 'main.ts')],
      { encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    const printed = JSON.parse(run.stdout) as { sides: number; name: string; source: string };
    expect(printed).toMatchObject({ sides: 3, name: 'Square' });
    // The function as the image ships it: TypeScript's output, with nothing wrapped around it.
    const shipped = transpile('const sides = (shape: Shape): number => shape.kind;', 'x.ts').code;
    expect(shipped).toContain(`const sides = ${printed.source};`);
  });

  it('fails on an import that exists neither as .js nor as .ts', () => {
    writeFileSync(join(dir, 'broken.ts'), "import './nowhere.js';\n");
    const run = spawnSync(
      process.execPath,
      ['--import', join(repoRoot, 'deploy/image/run-as-shipped.mjs'), join(dir, 'broken.ts')],
      { encoding: 'utf8' },
    );
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('nowhere.js');
  });
});
