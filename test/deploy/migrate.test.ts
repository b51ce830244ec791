import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@mesh/db/testing';
import { createLogger } from '@mesh/telemetry';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { readWorkspaces, serviceWorkspaces } from '../../deploy/image/workspaces.js';
import { migrateAll, serviceMigrations } from '../../deploy/migrate/migrate-all.js';
import { repoRoot } from './support/deploy-tree.js';
import { childEnv } from './support/env.js';

const logger = createLogger({ name: 'migrate-test', level: 'silent' });
let database: TestDatabase | undefined;

afterEach(async () => {
  await database?.drop();
  database = undefined;
});

function migrationNames(migrationsDir: string): string[] {
  return readdirSync(migrationsDir)
    .filter((name) => existsSync(join(migrationsDir, name, 'migration.sql')))
    .sort();
}

async function appliedMigrations(url: string): Promise<Record<string, string[]>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const applied: Record<string, string[]> = {};
    for (const { schema } of serviceMigrations) {
      const { rows } = await client.query<{ name: string }>(
        `SELECT migration_name AS name FROM "${schema}"._prisma_migrations WHERE finished_at IS NOT NULL ORDER BY 1`,
      );
      applied[schema] = rows.map((row) => row.name);
    }
    return applied;
  } finally {
    await client.end();
  }
}

function runJobProcess(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'deploy/migrate/main.ts'], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: childEnv({ LOG_LEVEL: 'warn', ...env }),
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}

describe('the migration Job (deploy/migrate)', () => {
  it("runs every service's own migrations export", () => {
    const services = [...serviceWorkspaces(readWorkspaces(repoRoot))]
      .filter(([, workspace]) => workspace.manifest.exports?.['./migrations'])
      .map(([folder]) => folder);

    expect(serviceMigrations.map((entry) => entry.service).sort()).toEqual(services.sort());
  });

  it('migrates an empty database, each service into its own schema, and then finds nothing to do', async () => {
    database = await createTestDatabase({ migrations: [] });

    const first = await migrateAll({ databaseUrl: database.url, logger });
    const second = await migrateAll({ databaseUrl: database.url, logger });

    const expected = Object.fromEntries(
      serviceMigrations.map(({ schema, migrationsDir }) => [schema, migrationNames(migrationsDir)]),
    );
    expect(Object.fromEntries(first.map(({ schema, applied }) => [schema, applied]))).toEqual(expected);
    expect(second.every(({ applied }) => applied.length === 0)).toBe(true);
    expect(await appliedMigrations(database.url)).toEqual(expected);
  });

  it('exits 0 from its process entry once every schema is migrated', async () => {
    database = await createTestDatabase({ migrations: [] });

    const { code } = await runJobProcess({ DATABASE_URL: database.url });

    expect(code).toBe(0);
    expect(Object.values(await appliedMigrations(database.url)).every((names) => names.length > 0)).toBe(
      true,
    );
  });

  it('exits non-zero, naming the variable, when DATABASE_URL is not a PostgreSQL URL', async () => {
    const { code, stderr } = await runJobProcess({ DATABASE_URL: 'mysql://db.example.internal/mesh' });

    expect(code).not.toBe(0);
    expect(stderr).toContain('DATABASE_URL');
  });
});
