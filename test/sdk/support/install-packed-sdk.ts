import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { packSdk } from '@mesh/sdk/pack';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface InstalledSdk extends AsyncDisposable {
  /** A project outside the repository: the escrow bot and the dashboard page, on the tarball. */
  project: string;
  tarball: string;
  tarballBytes: number;
  /** Paths inside the tarball. */
  files: string[];
}

/**
 * Packs the SDK and installs the tarball, with the bot's other dependency (grammy), into a
 * fresh directory under the system's temp folder: no workspace above it, no services' source.
 */
export async function installPackedSdk(): Promise<InstalledSdk> {
  const root = mkdtempSync(join(tmpdir(), 'mesh-sdk-'));
  const project = join(root, 'project');
  const tarball = await packSdk({ outDir: join(root, 'build'), packDir: root });
  for (const example of ['escrow-bot', 'dashboard'])
    cpSync(join(repoRoot, 'examples', example), project, {
      recursive: true,
      filter: (source) => !source.includes('node_modules'),
    });
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tarball], {
    cwd: project,
  });
  const { stdout } = await run('tar', ['-tzf', tarball]);
  return {
    project,
    tarball,
    tarballBytes: statSync(tarball).size,
    files: stdout.trim().split('\n').sort(),
    async [Symbol.asyncDispose]() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
