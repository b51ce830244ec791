import { createLogger } from '@mesh/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../create-database.js';
import { readDbEnv } from '../env.js';
import { createTestDatabase, type TestDatabase } from './create-test-database.js';
import { expectQueryBudget } from './expect-query-budget.js';
import { PrismaClient } from './fixtures/widgets/generated/client.js';
import { widgetsMigrations } from './fixtures/widgets.js';

let testDb: TestDatabase;
let db: Database<PrismaClient>;

beforeAll(async () => {
  testDb = await createTestDatabase({ migrations: [widgetsMigrations] });
  const env = readDbEnv({ DATABASE_URL: testDb.url });
  db = createDatabase({
    PrismaClient,
    schema: 'widgets',
    env,
    logger: createLogger({ name: 'test', level: 'silent' }),
  });
});

afterAll(async () => {
  await db.close();
  await testDb.drop();
});

describe('expectQueryBudget', () => {
  it('returns the result and the query count when the work stays within budget', async () => {
    const { result, queries } = await expectQueryBudget(
      () => db.prisma.workshop.findMany({ where: { id: { in: [1, 2, 3] } } }),
      1,
    );

    expect(result).toEqual([]);
    expect(queries).toBe(1);
  });

  it('throws when the work makes more queries than its budget', async () => {
    const oneQueryPerId = async () => {
      for (const id of [1, 2, 3]) await db.prisma.workshop.findUnique({ where: { id } });
    };

    await expect(expectQueryBudget(oneQueryPerId, 1)).rejects.toThrow('expected at most 1 queries, used 3');
  });
});
