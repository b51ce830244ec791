import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fillEnvFile } from './sample-secrets.js';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');
export const k8sDir = join(repoRoot, 'deploy', 'k8s');

export interface DeployTree extends Disposable {
  /** The copy's `deploy/k8s`. */
  dir: string;
  overlay(name: string): string;
  /** Reads a file of the copy, relative to its `deploy/k8s`. */
  read(path: string): string;
  write(path: string, text: string): void;
}

/**
 * A copy of deploy/k8s in a temporary folder, each overlay's `*.env.example` turned into the
 * secrets file an operator would write (sample values). Real secrets files in the checkout
 * are never copied. Tests render it, and break it on purpose.
 */
export function createDeployTree(): DeployTree {
  const dir = join(mkdtempSync(join(tmpdir(), 'mesh-deploy-')), 'k8s');
  cpSync(k8sDir, dir, { recursive: true, filter: (source) => !/\/[^/]*secrets\.env$/.test(source) });
  for (const overlay of readdirSync(join(dir, 'overlays'))) {
    for (const file of readdirSync(join(dir, 'overlays', overlay))) {
      if (!file.endsWith('.env.example')) continue;
      const text = readFileSync(join(dir, 'overlays', overlay, file), 'utf8');
      writeFileSync(join(dir, 'overlays', overlay, file.replace(/\.example$/, '')), fillEnvFile(text));
    }
  }
  return {
    dir,
    overlay: (name) => join(dir, 'overlays', name),
    read: (path) => readFileSync(join(dir, path), 'utf8'),
    write: (path, text) => writeFileSync(join(dir, path), text),
    [Symbol.dispose]: () => rmSync(join(dir, '..'), { recursive: true, force: true }),
  };
}

/** The overlays under deploy/k8s/overlays. */
export function overlayNames(): string[] {
  return readdirSync(join(k8sDir, 'overlays'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}
