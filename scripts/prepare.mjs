#!/usr/bin/env node
// Makes a checkout ready for `npm start` or `npm test`, from nothing if need be:
//   1. installs the dependencies when node_modules is missing or behind package-lock.json;
//   2. generates the code the repo does not commit (Prisma clients, proto stubs) when it is
//      missing or stale (scripts/generate.mjs --if-stale);
//   3. for `test` only, provides the system tools the tests drive (Chromium, kubectl, the
//      Python gRPC client's packages): installs them with apt when it runs as root, and
//      otherwise stops with one line naming what is missing and the command that installs it.
//
// It runs before the install, so possibly on the machine's own Node (which may be older than
// the project's): plain ESM and node: built-ins only.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { missingTools, missingToolsLine } from './system-tools.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const mode = process.argv[2];
if (mode !== 'start' && mode !== 'test') fail('usage: node scripts/prepare.mjs start|test');

ensureDependencies();
run(join(root, 'node_modules', '.bin', 'node'), [join(root, 'scripts', 'generate.mjs'), '--if-stale']);
if (mode === 'test') ensureSystemTools();

function ensureDependencies() {
  const behind = dependenciesBehind();
  if (behind === undefined) return;
  say(`installing dependencies (${behind})`);
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error']);
  const still = dependenciesBehind();
  if (still !== undefined) fail(`npm ci finished but node_modules is still behind the lockfile (${still})`);
}

/**
 * Why node_modules does not match package-lock.json, or undefined when it does. npm keeps
 * what it installed in node_modules/.package-lock.json; every package the lockfile requires
 * on this platform must be there at the locked version.
 */
function dependenciesBehind() {
  const installedPath = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(installedPath)) return 'node_modules is missing';
  if (!existsSync(join(root, 'node_modules', '.bin', 'node'))) return "the project's Node is missing";
  const wanted = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages ?? {};
  const installed = JSON.parse(readFileSync(installedPath, 'utf8')).packages ?? {};
  for (const [path, entry] of Object.entries(wanted)) {
    if (path === '' || entry.optional || entry.devOptional || entry.peer) continue;
    const have = installed[path];
    if (!have) return `${path.replace(/^.*node_modules\//, '')} is not installed`;
    if (entry.version !== undefined && have.version !== entry.version) {
      return `${path.replace(/^.*node_modules\//, '')} is ${have.version}, the lockfile says ${entry.version}`;
    }
  }
  return undefined;
}

function ensureSystemTools() {
  const needed = missingTools();
  if (needed.missing.length === 0) return;
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) fail(missingToolsLine(needed));
  say(`installing ${needed.packages.join(' ')} with apt-get (the tests need them)`);
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...needed.packages], {
    DEBIAN_FRONTEND: 'noninteractive',
  });
  const still = missingTools(needed.missing);
  if (still.missing.length > 0)
    fail(`apt-get finished but these are still missing: ${missingToolsLine(still)}`);
}

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.error) fail(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0)
    fail(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

function say(line) {
  process.stderr.write(`mesh: ${line}\n`);
}

function fail(line) {
  say(line);
  process.exit(1);
}
