import { readWorkspaces, serviceWorkspaces } from '../../../deploy/image/workspaces.js';
import { readEnv as readMigrateEnv } from '../../../deploy/migrate/env.js';
import { repoRoot } from './deploy-tree.js';
import type { ReadEnv } from './required-env.js';

export const migrateEnv: ReadEnv = readMigrateEnv;

/** Each service's own `readEnv` (its `./env` export), by services/ folder name. */
export async function loadServiceEnvReaders(): Promise<Map<string, ReadEnv>> {
  const services = [...serviceWorkspaces(readWorkspaces(repoRoot))];
  const readers = await Promise.all(
    services.map(async ([folder, workspace]): Promise<[string, ReadEnv]> => {
      const module = (await import(`${workspace.name}/env`)) as { readEnv: ReadEnv };
      return [folder, module.readEnv];
    }),
  );
  return new Map(readers);
}
