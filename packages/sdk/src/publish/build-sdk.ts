import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateDtsBundle } from 'dts-bundle-generator';
import { type BuildOptions, build, type Plugin } from 'esbuild';
import ts from 'typescript';
import { emitRouterSurface } from './emit-router-surface.js';
import { surfaceFile } from './surface-file.js';

const sdkRoot = fileURLToPath(new URL('../../', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** Workspace packages the SDK carries inside its own files: no consumer can install them. */
const bundledWorkspacePackages = ['@mesh/client', '@mesh/wire', '@mesh/catalogue'];
/** Registry packages the SDK's files import, installed beside it. */
const registryDependencies = ['@opentelemetry/api', '@trpc/client', '@trpc/server', 'superjson', 'ws'];

export class StaleSurfaceError extends Error {
  override readonly name = 'StaleSurfaceError';
}

function readJson(path: string): Record<string, Record<string, string>> {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** The version each registry dependency has in the workspace packages the SDK bundles. */
function dependencyVersions(): Record<string, string> {
  const declared: Record<string, string> = {};
  for (const name of ['sdk', 'client', 'wire'])
    Object.assign(declared, readJson(`${repoRoot}packages/${name}/package.json`).dependencies);
  return Object.fromEntries(registryDependencies.map((dep) => [dep, String(declared[dep])]));
}

/** Fails the browser build on any import of a Node module: the browser has its own WebSocket and fetch. */
const noNodeModules: Plugin = {
  name: 'no-node-modules',
  setup(builder) {
    builder.onResolve({ filter: /^(node:.*|ws|http|https|net|tls|stream|crypto|fs)$/ }, (args) => ({
      errors: [{ text: `${args.path} (imported by ${args.importer}) must not be on the browser path` }],
    }));
  },
};

async function bundleJs(outDir: string): Promise<void> {
  const shared: BuildOptions = {
    bundle: true,
    format: 'esm',
    target: 'es2022',
    logLevel: 'warning',
    absWorkingDir: sdkRoot,
    external: [...registryDependencies, 'grammy'],
  };
  await build({
    ...shared,
    entryPoints: { index: 'src/index.ts', grammy: 'src/grammy.ts' },
    outdir: outDir,
    platform: 'node',
  });
  await build({
    ...shared,
    entryPoints: { 'index.browser': 'src/index.ts' },
    outdir: outDir,
    platform: 'browser',
    external: ['@opentelemetry/api', '@trpc/client', '@trpc/server', 'superjson'],
    plugins: [noNodeModules],
  });
}

/**
 * One declaration file per entry, with @mesh/client's and the routers' types inlined: the
 * routers come from the committed plain surface (api/routers.d.ts, through the paths of
 * tsconfig.publish.json), so nothing names a service, a Prisma type or a workspace package.
 */
function bundleDeclarations(outDir: string): void {
  const [index] = generateDtsBundle(
    [
      {
        filePath: `${sdkRoot}src/index.ts`,
        libraries: { inlinedLibraries: bundledWorkspacePackages },
        output: { noBanner: true, exportReferencedTypes: false },
      },
    ],
    { preferredConfigPath: `${sdkRoot}tsconfig.publish.json` },
  );
  writeFileSync(`${outDir}/index.d.ts`, String(index));
  // The grammY entry is one self-contained module importing only grammy's types; the bundler
  // trips over grammy's own declarations, and has nothing to inline here anyway.
  const grammy = ts.transpileDeclaration(
    readFileSync(`${sdkRoot}src/grammy/answer-callback-first.ts`, 'utf8'),
    {
      compilerOptions: { module: ts.ModuleKind.NodeNext, target: ts.ScriptTarget.ES2022 },
    },
  );
  writeFileSync(`${outDir}/grammy.d.ts`, grammy.outputText);
}

function writeManifest(outDir: string): void {
  const source = readJson(`${sdkRoot}package.json`) as unknown as Record<string, unknown>;
  const manifest = {
    name: source.name,
    version: source.version,
    description: source.description,
    license: source.license,
    type: 'module',
    sideEffects: false,
    engines: { node: '>=20' },
    exports: {
      '.': { types: './index.d.ts', browser: './index.browser.js', default: './index.js' },
      './grammy': { types: './grammy.d.ts', default: './grammy.js' },
      './package.json': './package.json',
    },
    dependencies: dependencyVersions(),
    peerDependencies: { grammy: `^${(source.devDependencies as Record<string, string>).grammy}` },
    peerDependenciesMeta: { grammy: { optional: true } },
  };
  writeFileSync(`${outDir}/package.json`, `${JSON.stringify(manifest, null, 2)}\n`);
  for (const file of ['README.md', 'CHANGELOG.md']) cpSync(`${sdkRoot}${file}`, `${outDir}/${file}`);
}

/**
 * Builds the publishable SDK into `outDir`: ESM JavaScript for Node and for browsers, bundled
 * declarations, a package.json naming only registry dependencies. Refuses to build when the
 * committed router surface is not what the routers say now.
 */
export async function buildSdk({ outDir }: { outDir: string }): Promise<void> {
  if (emitRouterSurface() !== readFileSync(surfaceFile, 'utf8'))
    throw new StaleSurfaceError(
      'api/routers.d.ts differs from the routers: review the change, run `npm run surface -w @mesh/sdk`',
    );
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await bundleJs(outDir);
  bundleDeclarations(outDir);
  writeManifest(outDir);
}
