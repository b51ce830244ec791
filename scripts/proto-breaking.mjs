#!/usr/bin/env node
// `buf breaking` (FILE rules, buf.yaml) of the working tree's proto/ against the last commit on
// main: the local `main` branch, else `origin/main` (a clone checked out on another branch),
// else HEAD. Exits 1 and prints buf's findings on a breaking change; exits 0 when there is
// none, or when that commit has no .proto files yet (nothing to break).
//   node scripts/proto-breaking.mjs [--against <git ref>]
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const buf = join(root, 'node_modules', '.bin', 'buf');

function git(...args) {
  const result = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function baseCommit(asked) {
  for (const ref of asked ? [asked] : ['refs/heads/main', 'refs/remotes/origin/main', 'HEAD']) {
    const commit = git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`);
    if (commit) return { ref, commit };
  }
  return undefined;
}

const flag = process.argv.indexOf('--against');
const base = baseCommit(flag === -1 ? undefined : process.argv[flag + 1]);
if (!base) {
  process.stderr.write('proto-breaking: no commit to compare with (not a git checkout?)\n');
  process.exit(1);
}
const protos = (git('ls-tree', '-r', '--name-only', base.commit, '--', 'proto') ?? '')
  .split('\n')
  .filter((path) => path.endsWith('.proto'));
if (protos.length === 0) {
  process.stdout.write(`proto-breaking: ${base.ref} has no .proto files, nothing to break\n`);
  process.exit(0);
}
try {
  execFileSync(buf, ['breaking', '--against', `.git#ref=${base.commit}`], { cwd: root, stdio: 'inherit' });
  process.stdout.write(
    `proto-breaking: no breaking change against ${base.ref} (${base.commit.slice(0, 12)})\n`,
  );
} catch {
  process.stderr.write(
    `proto-breaking: breaking changes against ${base.ref} (${base.commit.slice(0, 12)})\n`,
  );
  process.exit(1);
}
