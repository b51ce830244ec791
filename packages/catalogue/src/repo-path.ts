import { fileURLToPath } from 'node:url';

// This file sits at packages/catalogue/src in a checkout and in an image's /app alike.
const repoRoot = new URL('../../../', import.meta.url);

/** An absolute path for a catalogue path (relative to the repo root, e.g. a migrations folder). */
export function repoPath(relativePath: string): string {
  return fileURLToPath(new URL(relativePath, repoRoot));
}
