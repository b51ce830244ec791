#!/usr/bin/env node
// The Prisma clients the repo uses (all gitignored under `generated/`): each service's, and
// the test fixtures a package lists in its `prisma-fixtures.json`. scripts/generate.mjs runs
// them with the repo's other generators; run alone, `node scripts/generate-prisma.mjs [service...]`
// regenerates the named services' clients (all, with the fixtures, when none is named).
// The Prisma CLI cannot download its schema engine on our machines; `generate` never runs it,
// but the CLI insists the file exists, so we point it at any existing file (node itself).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const prismaCli = join(root, 'node_modules', 'prisma', 'build', 'index.js');
const SERVICE_SCHEMA = 'prisma/schema.prisma';

/** Where a schema's `generator client { output = "..." }` writes, resolved from the schema's folder. */
function outputOf(schemaPath) {
  const output = /generator\s+client\s*\{[^}]*\boutput\s*=\s*"([^"]+)"/s.exec(
    readFileSync(schemaPath, 'utf8'),
  );
  if (!output?.[1]) throw new Error(`${schemaPath} has no generator output`);
  return resolve(dirname(schemaPath), output[1]);
}

function prismaStep(name, cwd, schema) {
  const schemaPath = join(cwd, schema);
  return {
    name: `prisma ${name}`,
    inputs: [schemaPath, join(root, 'node_modules', 'prisma', 'package.json')],
    output: outputOf(schemaPath),
    run({ quiet = false } = {}) {
      const env = {
        ...process.env,
        PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
      };
      // A service's prisma.config.ts names its schema; a fixture's is passed explicitly.
      const args = schema === SERVICE_SCHEMA ? [] : ['--schema', schema];
      execFileSync(process.execPath, [prismaCli, 'generate', ...args], {
        cwd,
        stdio: quiet ? 'pipe' : 'inherit',
        env,
      });
    },
  };
}

/** One generation step per Prisma schema: the services' (filtered by `only`) and the packages' fixtures. */
export function prismaSteps(only = []) {
  const steps = [];
  for (const service of readdirSync(join(root, 'services'))) {
    const cwd = join(root, 'services', service);
    if (!existsSync(join(cwd, SERVICE_SCHEMA))) continue;
    if (only.length === 0 || only.includes(service)) steps.push(prismaStep(service, cwd, SERVICE_SCHEMA));
  }
  if (only.length > 0) return steps;
  for (const pkg of readdirSync(join(root, 'packages'))) {
    const listing = join(root, 'packages', pkg, 'prisma-fixtures.json');
    if (!existsSync(listing)) continue;
    for (const schema of JSON.parse(readFileSync(listing, 'utf8')).schemas) {
      steps.push(prismaStep(`${pkg} fixture ${schema}`, join(root, 'packages', pkg), schema));
    }
  }
  return steps;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const step of prismaSteps(process.argv.slice(2))) step.run();
}
