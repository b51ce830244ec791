#!/usr/bin/env node
// The TypeScript code of the proto/ contracts (gitignored, packages/contracts/src/generated):
// `buf generate` with the locally installed protoc-gen-es, offline. scripts/generate.mjs runs
// it with the repo's other generators, as one step (`protoSteps()`); it is stale when the hash
// of its inputs (every proto/**/*.proto, buf.yaml, buf.gen.yaml, and the versions of buf and
// protoc-gen-es) differs from the one kept in the output folder. Run alone:
//   node scripts/generate-proto.mjs             regenerates
//   node scripts/generate-proto.mjs --if-stale  regenerates only when stale
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'node_modules', '.bin');

/** Where the generated code lands (buf.gen.yaml says the same). */
export const PROTO_OUTPUT = join(root, 'packages', 'contracts', 'src', 'generated');
/** The file in PROTO_OUTPUT holding the SHA-256 of the inputs it was generated from. */
export const PROTO_STAMP = join(PROTO_OUTPUT, '.inputs-sha256');

function protoFiles(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return protoFiles(path);
      return entry.name.endsWith('.proto') ? [path] : [];
    });
}

/** Every file whose change makes the generated code stale. */
export function protoInputs() {
  return [
    ...protoFiles(join(root, 'proto')),
    join(root, 'buf.yaml'),
    join(root, 'buf.gen.yaml'),
    join(root, 'node_modules', '@bufbuild', 'buf', 'package.json'),
    join(root, 'node_modules', '@bufbuild', 'protoc-gen-es', 'package.json'),
  ];
}

/** The SHA-256 of the inputs' paths and contents (the same digest scripts/generate.mjs keeps). */
export function protoInputsDigest(files = protoInputs()) {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** True when the generated code is missing or was made from other inputs than the current ones. */
export function protoCodeStale() {
  return !existsSync(PROTO_STAMP) || readFileSync(PROTO_STAMP, 'utf8') !== protoInputsDigest();
}

/** Runs `buf generate` with node_modules/.bin first on PATH, so `local: protoc-gen-es` is ours. */
export function runBufGenerate({ quiet = false } = {}) {
  const env = { ...process.env, PATH: [bin, process.env.PATH ?? ''].join(delimiter) };
  execFileSync(join(bin, 'buf'), ['generate', '--clean'], {
    cwd: root,
    stdio: quiet ? 'pipe' : 'inherit',
    env,
  });
}

/** The step scripts/generate.mjs runs (it writes PROTO_STAMP after `run`). */
export function protoSteps() {
  return [{ name: 'proto (buf generate)', inputs: protoInputs(), output: PROTO_OUTPUT, run: runBufGenerate }];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!process.argv.includes('--if-stale') || protoCodeStale()) {
    const digest = protoInputsDigest();
    runBufGenerate();
    mkdirSync(PROTO_OUTPUT, { recursive: true });
    writeFileSync(PROTO_STAMP, digest);
  }
}
