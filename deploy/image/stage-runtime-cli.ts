// The Dockerfile's build stage runs this: `node --import tsx deploy/image/stage-runtime-cli.ts
// <service|migrate> <runtimeDir>`. It writes <runtimeDir>/app (the image's /app, node_modules
// excepted) and <runtimeDir>/check-imports.mjs (the build's import check).
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { imageTarget } from './image-target.js';
import { checkImportsScript, stageRuntime } from './stage-runtime.js';

const [name, runtimeDir] = process.argv.slice(2);
if (!name || !runtimeDir) {
  process.stderr.write('usage: stage-runtime-cli.ts <service|migrate> <runtimeDir>\n');
  process.exit(2);
}
const root = fileURLToPath(new URL('../..', import.meta.url));
const target = imageTarget(root, name);
const files = await stageRuntime({ root, target, outDir: join(resolve(runtimeDir), 'app') });
await writeFile(join(resolve(runtimeDir), 'check-imports.mjs'), checkImportsScript(target, '/app'));
process.stdout.write(`staged ${files.length} files for ${name}; entry ${target.entry}\n`);
