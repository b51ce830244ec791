import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** One workspace package as its package.json declares it. */
export interface WorkspacePackage {
  name: string;
  /** Its folder, relative to the repo root (`packages/kit`). */
  dir: string;
  /** Workspace packages it names in `dependencies` or `devDependencies`. */
  declared: readonly string[];
}

/** One TypeScript file of a package. */
export interface SourceFile {
  /** Relative to the repo root. */
  path: string;
  text: string;
}

/** A workspace import: `file` (in package `from`) names package `to`. */
export interface ImportEdge {
  from: string;
  to: string;
  file: string;
  specifier: string;
}

export interface GraphReport {
  imports: ImportEdge[];
  /** Imports of a workspace package the importer's package.json does not declare. */
  undeclared: ImportEdge[];
  /** Imports naming a workspace scope package that does not exist. */
  unknown: ImportEdge[];
  /** A cycle through declared dependencies (imports are a subset once none is undeclared), as a path `a, b, ..., a`; null when there is none. */
  cycle: string[] | null;
}

const SCOPE = '@mesh/';

/**
 * Every module specifier a file names: static imports (`import type` too), `export ... from`,
 * side-effect imports, dynamic `import()` and `import('x').T` types. TypeScript's own scanner,
 * so comments and strings are not mistaken for imports.
 */
export function specifiersOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName);
}

/** `@mesh/kit/bench/rpc` → `@mesh/kit`; undefined for a specifier outside the scope. */
export function packageOf(specifier: string): string | undefined {
  if (!specifier.startsWith(SCOPE)) return undefined;
  return specifier.split('/').slice(0, 2).join('/');
}

/** The first cycle found in `edges` (a depth-first walk in name order), as `a, b, ..., a`. */
export function findCycle(edges: ReadonlyMap<string, ReadonlySet<string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of [...(edges.get(node) ?? [])].sort()) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of [...edges.keys()].sort()) {
    if (state.has(node)) continue;
    const found = visit(node);
    if (found) return found;
  }
  return null;
}

/** Checks the packages' imports against their package.json files and for cycles. */
export function checkGraph(packages: readonly WorkspacePackage[], files: readonly SourceFile[]): GraphReport {
  const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));
  const owner = (path: string) =>
    packages.filter((pkg) => path.startsWith(`${pkg.dir}/`)).sort((a, b) => b.dir.length - a.dir.length)[0];
  const imports: ImportEdge[] = [];
  for (const file of files) {
    const from = owner(file.path);
    if (!from) continue;
    for (const specifier of specifiersOf(file.text)) {
      const to = packageOf(specifier);
      if (to && to !== from.name) imports.push({ from: from.name, to, file: file.path, specifier });
    }
  }
  const unknown = imports.filter((edge) => !byName.has(edge.to));
  const undeclared = imports.filter(
    (edge) => byName.has(edge.to) && !byName.get(edge.from)?.declared.includes(edge.to),
  );
  const edges = new Map<string, Set<string>>(packages.map((pkg) => [pkg.name, new Set(pkg.declared)]));
  for (const edge of imports) edges.get(edge.from)?.add(edge.to);
  return { imports, undeclared, unknown, cycle: findCycle(edges) };
}

/** A cycle as one line per arrow, each with a file that makes it (or "declared" when only package.json does). */
export function describeCycle(cycle: readonly string[], imports: readonly ImportEdge[]): string {
  return cycle
    .slice(1)
    .map((to, index) => {
      const from = cycle[index];
      const edge = imports.find((candidate) => candidate.from === from && candidate.to === to);
      return `${from} -> ${to}  (${edge ? `${edge.file}: '${edge.specifier}'` : 'declared in package.json'})`;
    })
    .join('\n');
}

const WORKSPACE_FOLDERS = ['packages', 'services'];
const SKIPPED = new Set(['node_modules', 'dist']);

/** The repo's workspace packages and every `.ts` file under them. */
export async function readWorkspace(
  root: string,
): Promise<{ packages: WorkspacePackage[]; files: SourceFile[] }> {
  const packages: WorkspacePackage[] = [];
  for (const folder of WORKSPACE_FOLDERS) {
    for (const name of (await readdir(join(root, folder))).sort()) {
      const dir = `${folder}/${name}`;
      const manifest = await readFile(join(root, dir, 'package.json'), 'utf8').catch(() => undefined);
      if (manifest === undefined) continue;
      const json = JSON.parse(manifest) as {
        name: string;
        dependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
      };
      const declared = Object.keys({ ...json.dependencies, ...json.devDependencies }).filter((dep) =>
        dep.startsWith(SCOPE),
      );
      packages.push({ name: json.name, dir, declared });
    }
  }
  const files: SourceFile[] = [];
  for (const pkg of packages) {
    for (const path of await tsFiles(join(root, pkg.dir))) {
      files.push({ path: relative(root, path), text: await readFile(path, 'utf8') });
    }
  }
  return { packages, files };
}

async function tsFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries) {
    if (SKIPPED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await tsFiles(path)));
    else if (/\.(c|m)?tsx?$/.test(entry.name)) found.push(path);
  }
  return found;
}
