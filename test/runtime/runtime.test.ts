import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM script without declarations, run before any install
import { missingTools, missingToolsLine } from '../../scripts/system-tools.mjs';

const root = join(import.meta.dirname, '..', '..');

describe('the runtime npm scripts run on', () => {
  it('is the Node major that .nvmrc, engines and the node devDependency name', () => {
    const major = readFileSync(join(root, '.nvmrc'), 'utf8').trim();
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

    expect(process.version.split('.')[0]).toBe(`v${major}`);
    expect(manifest.devDependencies.node.split('.')[0]).toBe(major);
    expect(manifest.engines.node).toContain(`>=${major}.`);
    expect(manifest.allowScripts.node).toBe(true);
  });
});

describe('the system tools npm test provides', () => {
  const present = { name: 'here', debianPackages: ['here-pkg'], present: () => true };
  const gone = {
    name: 'Gone (for the gone test)',
    debianPackages: ['gone-a', 'shared'],
    present: () => false,
  };
  const alsoGone = { name: 'Also gone', debianPackages: ['shared'], present: () => false };

  it('names each missing tool and the one apt command that installs them all, once per package', () => {
    const needed = missingTools([present, gone, alsoGone]);

    expect(needed.missing.map((tool: { name: string }) => tool.name)).toEqual([
      'Gone (for the gone test)',
      'Also gone',
    ]);
    expect(missingToolsLine(needed)).toBe(
      'the tests need Gone (for the gone test), Also gone; install with: sudo apt-get install -y gone-a shared',
    );
  });

  it('finds nothing missing when every tool is there', () => {
    expect(missingTools([present]).missing).toEqual([]);
  });
});
