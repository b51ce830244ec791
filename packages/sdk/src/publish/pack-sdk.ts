import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { buildSdk } from './build-sdk.js';

/** Builds the SDK into `outDir` and packs it there: the tarball's absolute path. */
export async function packSdk({ outDir, packDir }: { outDir: string; packDir: string }): Promise<string> {
  await buildSdk({ outDir });
  const output = execFileSync('npm', ['pack', '--json', '--pack-destination', packDir], {
    cwd: outDir,
    encoding: 'utf8',
  });
  const [packed] = JSON.parse(output) as Array<{ filename: string }>;
  if (!packed) throw new Error('npm pack printed no tarball');
  return join(packDir, packed.filename);
}
