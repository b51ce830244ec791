import { fileURLToPath } from 'node:url';

/** The monorepo root, found from this file's place (packages/bench/src), never from cwd. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');
