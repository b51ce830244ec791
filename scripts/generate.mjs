#!/usr/bin/env node
// Every piece of generated code the repo does not commit, in one command (`npm run generate`).
// With --if-stale, a step runs only when its output is missing or its inputs changed since it
// last ran: each output folder keeps the SHA-256 of its step's inputs in `.inputs-sha256`.
// `npm start` and `npm test` run it that way (scripts/prepare.mjs), so a fresh clone and a
// schema edit both just work.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prismaSteps } from './generate-prisma.mjs';
import { protoSteps } from './generate-proto.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const ifStale = process.argv.includes('--if-stale');

/** @typedef {{ name: string, inputs: string[], output: string, run: (options?: { quiet?: boolean }) => void }} Step */
/** @type {Step[]} */
const steps = [...prismaSteps(), ...protoSteps()];

for (const step of steps) {
  const stamp = join(step.output, '.inputs-sha256');
  const digest = digestOf(step.inputs);
  if (ifStale && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) continue;
  if (ifStale) process.stderr.write(`mesh: generating ${step.name} (${relative(root, step.output)})\n`);
  run(step);
  mkdirSync(step.output, { recursive: true });
  writeFileSync(stamp, digest);
}

/**
 * Runs a step; with --if-stale (the set-up of `npm start` and `npm test`) its tool's own output
 * is shown only when it fails, so a newcomer's first screen is one line a step.
 */
function run(step) {
  try {
    step.run({ quiet: ifStale });
  } catch (error) {
    for (const output of [error.stdout, error.stderr]) if (output) process.stderr.write(output);
    process.stderr.write(`mesh: generating ${step.name} failed\n`);
    process.exit(1);
  }
}

function digestOf(files) {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}
