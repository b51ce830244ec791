import { productionClosure, readWorkspaces, serviceWorkspaces, type Workspace } from './workspaces.js';

/** What one image carries, besides its production node_modules. */
export interface ImageTarget {
  name: string;
  /** Workspaces whose production files ship: the entries and the workspaces they depend on. */
  workspaces: Workspace[];
  /** Folders outside the workspaces that ship as well (the migration entry). */
  extraDirs: string[];
  /** Whether each service's `prisma/migrations` ships (only the migration image needs SQL). */
  migrations: boolean;
  /** The process entry, relative to the image's /app (compiled JavaScript). */
  entry: string;
  /** A module that imports the whole graph without starting anything: the image build's check. */
  checkImport: string;
}

/** The migration image: every service's migrations plus `deploy/migrate`, which runs them all. */
export const MIGRATE_TARGET = 'migrate';

/** Resolves `migrate` or a service folder name (`user-cache`) to what its image carries. */
export function imageTarget(root: string, name: string): ImageTarget {
  const workspaces = readWorkspaces(root);
  const services = serviceWorkspaces(workspaces);
  if (name === MIGRATE_TARGET) {
    return {
      name,
      workspaces: productionClosure(
        workspaces,
        [...services.values()].map((service) => service.name),
      ),
      extraDirs: ['deploy/migrate'],
      migrations: true,
      entry: 'deploy/migrate/main.js',
      checkImport: 'deploy/migrate/migrate-all.js',
    };
  }
  const service = services.get(name);
  if (!service) {
    const known = [MIGRATE_TARGET, ...services.keys()].join(', ');
    throw new Error(`unknown image target "${name}" (known: ${known})`);
  }
  return {
    name,
    workspaces: productionClosure(workspaces, [service.name]),
    extraDirs: [],
    migrations: false,
    entry: `${service.dir}/src/main.js`,
    checkImport: `${service.dir}/src/server.js`,
  };
}
