import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SuiteEntry } from './suite.js';

/** Where suites live, by convention: `<folder>/<package>/bench/suites.ts`, exporting `benchSuites`. */
export const SUITE_FOLDERS = ['packages', 'services'] as const;
export const SUITES_FILE = join('bench', 'suites.ts');

/** What a `bench/suites.ts` exports: its suites by the name `mesh bench <name>` takes. */
export interface SuitesModule {
  benchSuites: Readonly<Record<string, SuiteEntry>>;
}

/**
 * Every suite of the repo at `root`, read from each package's `bench/suites.ts` by path (so
 * the runner imports no package, and no package's public exports carry its bench code).
 * A `suites.ts` only names its suites and loads their code when run, so finding them is cheap.
 * Two packages naming the same suite is an error.
 */
export async function findSuites(root: string): Promise<Record<string, SuiteEntry>> {
  const found: Record<string, SuiteEntry> = {};
  const owner = new Map<string, string>();
  for (const file of await suiteFiles(root)) {
    const { benchSuites } = (await import(pathToFileURL(file).href)) as Partial<SuitesModule>;
    if (!benchSuites) throw new Error(`${file} exports no benchSuites`);
    for (const [name, entry] of Object.entries(benchSuites)) {
      const first = owner.get(name);
      if (first) throw new Error(`bench suite "${name}" is named by both ${first} and ${file}`);
      owner.set(name, file);
      found[name] = entry;
    }
  }
  return found;
}

async function suiteFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  for (const folder of SUITE_FOLDERS) {
    const names = await readdir(join(root, folder)).catch(() => [] as string[]);
    for (const name of names.sort()) {
      const file = join(root, folder, name, SUITES_FILE);
      if (
        await access(file).then(
          () => true,
          () => false,
        )
      )
        files.push(file);
    }
  }
  return files;
}
