#!/usr/bin/env node
// Generates every Prisma client the repo uses (all gitignored under `generated/`): each
// service's, and the test fixtures a package lists in its `prisma-fixtures.json`. The
// Prisma CLI cannot download its schema engine on our machines; `generate` never runs it,
// but the CLI insists the file exists, so we point it at any existing file (node itself).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const prismaCli = join(root, 'node_modules', 'prisma', 'build', 'index.js');
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};

function generate(cwd, extraArgs = []) {
  execFileSync(process.execPath, [prismaCli, 'generate', ...extraArgs], { cwd, stdio: 'inherit', env });
}

const only = process.argv.slice(2);
for (const service of readdirSync(join(root, 'services'))) {
  if (only.length === 0 || only.includes(service)) generate(join(root, 'services', service));
}

if (only.length === 0) {
  for (const pkg of readdirSync(join(root, 'packages'))) {
    const listing = join(root, 'packages', pkg, 'prisma-fixtures.json');
    if (!existsSync(listing)) continue;
    for (const schema of JSON.parse(readFileSync(listing, 'utf8')).schemas) {
      generate(join(root, 'packages', pkg), ['--schema', schema]);
    }
  }
}
