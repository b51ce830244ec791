#!/usr/bin/env node
// Generates every service's Prisma client (gitignored `src/generated/`). The Prisma CLI
// cannot download its schema engine on our machines; `generate` never runs it, but the CLI
// insists the file exists, so we point it at any existing file (node itself).
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);
const services = readdirSync(join(root, 'services')).filter(
  (name) => only.length === 0 || only.includes(name),
);
const prismaCli = join(root, 'node_modules', 'prisma', 'build', 'index.js');

for (const service of services) {
  const cwd = join(root, 'services', service);
  execFileSync(process.execPath, [prismaCli, 'generate'], {
    cwd,
    stdio: 'inherit',
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
    },
  });
}
