import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ImageTarget } from './image-target.js';
import { transpile } from './transpile.mjs';
import type { PackageTarget, WorkspaceManifest } from './workspaces.js';

export interface StageRuntimeOptions {
  /** The repo root, with the Prisma clients already generated. */
  root: string;
  target: ImageTarget;
  /** Becomes the image's /app (node_modules excepted). */
  outDir: string;
}

/** Tests, type tests, test helpers (`testing/`) and declaration files never ship. */
export function isRuntimeFile(path: string): boolean {
  if (path.split('/').includes('testing')) return false;
  return !/\.test(-d)?\.ts$/.test(path) && !path.endsWith('.d.ts');
}

/** A target pointing at the compiled `.js` files, its conditions whose file does not ship dropped. */
function compiledTarget(
  target: PackageTarget,
  ships: (relativePath: string) => boolean,
): PackageTarget | undefined {
  if (typeof target === 'string') {
    const file = target.replace(/\.ts$/, '.js');
    return ships(file) ? file : undefined;
  }
  const conditions = Object.entries(target).flatMap(([condition, inner]) => {
    const compiled = compiledTarget(inner, ships);
    return compiled === undefined ? [] : [[condition, compiled] as const];
  });
  return conditions.length > 0 ? Object.fromEntries(conditions) : undefined;
}

function compiledMap(
  map: Record<string, PackageTarget> | undefined,
  ships: (relativePath: string) => boolean,
): Record<string, PackageTarget> {
  return Object.fromEntries(
    Object.entries(map ?? {}).flatMap(([key, target]) => {
      const compiled = compiledTarget(target, ships);
      return compiled === undefined ? [] : [[key, compiled] as const];
    }),
  );
}

/**
 * A workspace's package.json as the image needs it: `exports` and `imports` (conditions
 * included) pointing at the compiled `.js` files, entries whose file does not ship (test
 * helpers, benches) dropped, no scripts or devDependencies.
 */
export function runtimeManifest(
  manifest: WorkspaceManifest,
  ships: (relativePath: string) => boolean,
): WorkspaceManifest {
  const imports = compiledMap(manifest.imports, ships);
  return {
    name: manifest.name,
    ...(manifest.version ? { version: manifest.version } : {}),
    ...(manifest.type ? { type: manifest.type } : {}),
    exports: compiledMap(manifest.exports, ships),
    ...(Object.keys(imports).length > 0 ? { imports } : {}),
    ...(manifest.dependencies ? { dependencies: manifest.dependencies } : {}),
  };
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(join(dir, prefix), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      return entry.isDirectory() ? listFiles(dir, path) : Promise.resolve([path]);
    }),
  );
  return nested.flat();
}

/** Copies `dir` (relative to root) into outDir, TypeScript compiled to JavaScript with source maps. */
async function stageDir(root: string, dir: string, outDir: string, written: string[]): Promise<void> {
  for (const file of await listFiles(join(root, dir))) {
    const path = `${dir}/${file}`;
    if (!isRuntimeFile(path)) continue;
    await mkdir(dirname(join(outDir, path)), { recursive: true });
    if (!path.endsWith('.ts')) {
      await copyFile(join(root, path), join(outDir, path));
      written.push(path);
      continue;
    }
    const source = await readFile(join(root, path), 'utf8');
    const fileName = path.split('/').at(-1) ?? path;
    const { code, map } = transpile(source, fileName);
    const jsPath = path.replace(/\.ts$/, '.js');
    await writeFile(join(outDir, jsPath), code);
    if (map) await writeFile(join(outDir, `${jsPath}.map`), map);
    written.push(jsPath);
  }
}

/**
 * Writes the image's application files into `outDir`: for each workspace the target needs,
 * its `src` compiled to JavaScript and a runtime package.json; the services' SQL migrations
 * when the target runs them; a root package.json marking the tree as ESM. Returns the paths
 * written (relative to outDir).
 */
export async function stageRuntime({ root, target, outDir }: StageRuntimeOptions): Promise<string[]> {
  const written: string[] = [];
  for (const workspace of target.workspaces) {
    await stageDir(root, `${workspace.dir}/src`, outDir, written);
    const migrationsDir = `${workspace.dir}/prisma/migrations`;
    if (target.migrations && existsSync(join(root, migrationsDir))) {
      await stageDir(root, migrationsDir, outDir, written);
    }
    const manifest = runtimeManifest(workspace.manifest, (file) =>
      existsSync(join(outDir, workspace.dir, file)),
    );
    await writeFile(join(outDir, workspace.dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    written.push(`${workspace.dir}/package.json`);
  }
  for (const dir of target.extraDirs) await stageDir(root, dir, outDir, written);
  const rootManifest = { name: 'mesh-runtime', private: true, type: 'module' };
  await writeFile(join(outDir, 'package.json'), `${JSON.stringify(rootManifest, null, 2)}\n`);
  // One fixed entry for every image, so the Dockerfile's CMD needs no per-target value.
  await writeFile(join(outDir, 'main.js'), `${GENERATED}\nawait import('./${target.entry}');\n`);
  written.push('package.json', 'main.js');
  return written;
}

const GENERATED = '// Written by deploy/image/stage-runtime.ts: the image entry.';

/**
 * A script that imports the target's whole module graph from `appDir` without starting it.
 * The image build runs it, so a runtime import missing from the pruned node_modules fails
 * the build rather than the first pod.
 */
export function checkImportsScript(target: ImageTarget, appDir: string): string {
  const module = JSON.stringify(join(appDir, target.checkImport));
  return `await import(${module});\nprocess.stdout.write('imports of ${target.name} resolve\\n');\n`;
}
