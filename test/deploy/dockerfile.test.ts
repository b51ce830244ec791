import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/deploy-tree.js';
import { parseDockerfile, type Stage } from './support/dockerfile.js';

// No Docker engine here: these read deploy/image/Dockerfile and .dockerignore for what the
// images promise. What the build stages produce is tested by running them (image.test.ts).
const { args, stages } = parseDockerfile(readFileSync(join(repoRoot, 'deploy/image/Dockerfile'), 'utf8'));
const stage = (name: string) => stages.find((candidate) => candidate.name === name) as Stage;
const runs = (candidate: Stage) =>
  candidate.instructions.filter((instruction) => instruction.keyword === 'RUN').map((run) => run.args);
const final = stages.at(-1) as Stage;
const runtimeChain = [final, ...stages.filter((candidate) => candidate.name === final.from)];

describe('deploy/image/Dockerfile', () => {
  it('builds every stage on one pinned slim image of the Node major in .nvmrc', () => {
    const nodeImage = args.find((arg) => arg.keyword === 'ARG' && arg.args.startsWith('NODE_IMAGE='));
    const stageNames = new Set(stages.map((candidate) => candidate.name));
    const major = readFileSync(join(repoRoot, '.nvmrc'), 'utf8').trim();

    expect(major).toMatch(/^\d+$/);
    expect(nodeImage?.args).toMatch(
      new RegExp(`^NODE_IMAGE=node:${major}\\.\\d+\\.\\d+-bookworm-slim(@sha256:[0-9a-f]{64})?$`),
    );
    expect(
      stages.every(
        (candidate) => /^\$\{NODE_IMAGE\}$/.test(candidate.from) || stageNames.has(candidate.from),
      ),
    ).toBe(true);
  });

  it("installs with npm ci under the repo's allowScripts policy, strictly", () => {
    const installs = stages.flatMap(runs).filter((run) => /\bnpm (ci|install|i)\b/.test(run));
    const tooling = stage('tooling');

    expect(installs.filter((run) => !/\bnpm ci\b/.test(run))).toEqual(['npm install --global npm@11.19.1']);
    expect(tooling.instructions.find((instruction) => instruction.keyword === 'ENV')?.args).toContain(
      'NPM_CONFIG_STRICT_ALLOW_SCRIPTS=true',
    );
    expect(runs(stage('prod-deps')).join(' ')).toMatch(/npm ci --omit=dev --omit=optional/);
  });

  it('generates the code the repo does not commit (Prisma clients, proto stubs) at build with scripts/generate.mjs', () => {
    expect(runs(stage('build'))).toContain('node scripts/generate.mjs');
  });

  it('keeps only production files in the final image: compiled app and production node_modules', () => {
    const copies = runtimeChain.flatMap((candidate) =>
      candidate.instructions.filter((instruction) => instruction.keyword === 'COPY').map((copy) => copy.args),
    );

    expect(copies.sort()).toEqual([
      '--from=build /runtime/app ./',
      '--from=prod-deps /app/node_modules ./node_modules',
    ]);
  });

  it('runs as a numeric non-root user with node as PID 1 (exec form, no shell or npm)', () => {
    const user =
      final.instructions.filter((instruction) => instruction.keyword === 'USER').at(-1)?.args ?? '';
    const cmd = final.instructions.filter((instruction) => instruction.keyword === 'CMD').at(-1)?.args ?? '';
    const entrypoints = runtimeChain.flatMap((candidate) =>
      candidate.instructions.filter((instruction) => instruction.keyword === 'ENTRYPOINT'),
    );

    expect(user).toMatch(/^[1-9]\d*:\d+$/);
    expect(JSON.parse(cmd)).toEqual(['node', '--enable-source-maps', 'main.js']);
    expect(entrypoints).toEqual([]);
  });

  it('keeps dependencies, generated clients, git history and secrets out of the build context', () => {
    const ignored = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n');

    expect(ignored).toEqual(
      expect.arrayContaining([
        '**/node_modules',
        '**/generated',
        '.git',
        'deploy/k8s/**/secrets.env',
        '**/.env',
      ]),
    );
  });
});
