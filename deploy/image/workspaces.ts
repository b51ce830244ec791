import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where an `exports` or `imports` entry points: a file, or a file per condition (`browser`, `default`...). */
export type PackageTarget = string | { [condition: string]: PackageTarget };

export interface WorkspaceManifest {
  name: string;
  version?: string;
  type?: string;
  exports?: Record<string, PackageTarget>;
  imports?: Record<string, PackageTarget>;
  dependencies?: Record<string, string>;
}

export interface Workspace {
  name: string;
  /** Relative to the repo root, e.g. `services/user-cache`. */
  dir: string;
  manifest: WorkspaceManifest;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Every workspace the root package.json declares (`packages/*`, `services/*`), by package name. */
export function readWorkspaces(root: string): Map<string, Workspace> {
  const { workspaces = [] } = readJson<{ workspaces?: string[] }>(join(root, 'package.json'));
  const found = new Map<string, Workspace>();
  for (const pattern of workspaces) {
    // Only the `<folder>/*` form is used here; anything else must be taught, not guessed.
    if (!pattern.endsWith('/*')) throw new Error(`unsupported workspace pattern "${pattern}"`);
    const parent = pattern.slice(0, -2);
    for (const entry of readdirSync(join(root, parent), { withFileTypes: true })) {
      const dir = `${parent}/${entry.name}`;
      if (!entry.isDirectory() || !existsSync(join(root, dir, 'package.json'))) continue;
      const manifest = readJson<WorkspaceManifest>(join(root, dir, 'package.json'));
      found.set(manifest.name, { name: manifest.name, dir, manifest });
    }
  }
  return found;
}

/**
 * The workspaces `entries` need at run time: themselves and every workspace reachable
 * through `dependencies` (never `devDependencies`), in a stable order.
 */
export function productionClosure(workspaces: Map<string, Workspace>, entries: string[]): Workspace[] {
  const seen = new Map<string, Workspace>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    const workspace = workspaces.get(name);
    if (!workspace) throw new Error(`unknown workspace ${name}`);
    seen.set(name, workspace);
    for (const dependency of Object.keys(workspace.manifest.dependencies ?? {})) {
      if (workspaces.has(dependency)) visit(dependency);
    }
  };
  for (const entry of entries) visit(entry);
  return [...seen.values()].sort((a, b) => a.dir.localeCompare(b.dir));
}

/** The service workspaces (`services/<name>`), by folder name. */
export function serviceWorkspaces(workspaces: Map<string, Workspace>): Map<string, Workspace> {
  const services = [...workspaces.values()].filter((workspace) => workspace.dir.startsWith('services/'));
  return new Map(services.map((workspace) => [workspace.dir.slice('services/'.length), workspace]));
}
