import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findSuites } from './find-suites.js';
import { repoRoot } from './repo-root.js';

const suitesFile = (names: string[]) =>
  `export const benchSuites = {${names
    .map(
      (name) =>
        `'${name}': { summary: '${name} suite', load: async () => ({ run: async () => ({ cases: [] }) }) }`,
    )
    .join(',')}};\n`;

describe('findSuites', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function repoWith(files: Record<string, string>): Promise<string> {
    dir = await mkdtemp(join(tmpdir(), 'bench-suites-'));
    for (const [path, text] of Object.entries(files)) {
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    return dir;
  }

  it("finds every suite of this repo by its packages' bench/suites.ts", async () => {
    const names = Object.keys(await findSuites(repoRoot));
    expect(names).toEqual(
      expect.arrayContaining(['rpc', 'tracing', 'ingestion', 'user-cache', 'bot-control', 'analytics']),
    );
  });

  it('reads packages before services, each folder in name order, and skips packages without suites', async () => {
    const root = await repoWith({
      'services/zeta/bench/suites.ts': suitesFile(['z']),
      'services/alpha/bench/suites.ts': suitesFile(['a']),
      'packages/kit/bench/suites.ts': suitesFile(['k1', 'k2']),
      'packages/none/src/index.ts': 'export {};\n',
    });
    const suites = await findSuites(root);
    expect(Object.keys(suites)).toEqual(['k1', 'k2', 'a', 'z']);
    expect(suites.a?.summary).toBe('a suite');
  });

  it('refuses two packages naming the same suite', async () => {
    const root = await repoWith({
      'packages/one/bench/suites.ts': suitesFile(['same']),
      'services/two/bench/suites.ts': suitesFile(['same']),
    });
    await expect(findSuites(root)).rejects.toThrow(/"same" is named by both/);
  });
});
