import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Workspace } from '../../../deploy/image/workspaces.js';

/**
 * Gives a staged image tree a node_modules as the image has one: third-party packages (here
 * links into the repo's node_modules) and `@mesh/*` pointing at the staged, compiled
 * workspaces rather than the repo's TypeScript sources.
 */
export function linkNodeModules(stageDir: string, repoNodeModules: string, workspaces: Workspace[]): void {
  const target = join(stageDir, 'node_modules');
  mkdirSync(join(target, '@mesh'), { recursive: true });
  for (const entry of readdirSync(repoNodeModules)) {
    if (entry === '@mesh' || entry === '.bin' || entry.startsWith('.')) continue;
    symlinkSync(join(repoNodeModules, entry), join(target, entry));
  }
  for (const workspace of workspaces) {
    const name = workspace.name.replace(/^@mesh\//, '');
    symlinkSync(join(stageDir, workspace.dir), join(target, '@mesh', name));
  }
}
