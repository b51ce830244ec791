import { randomBytes } from 'node:crypto';
import { createCache, readCacheEnv } from '@mesh/cache';
import { createDatabase, readDbEnv } from '@mesh/db';
import { createTestDatabase } from '@mesh/db/testing';
import { createLogger } from '@mesh/telemetry';
import { readEnv, SERVICE_NAME } from '../src/env.js';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { migrations } from '../src/migrations.js';
import { buildUserCacheService } from '../src/server.js';
import { readBenchEnv } from './env.js';
import { type Measured, measure } from './measure.js';
import { idSets, seedUsers } from './seed-users.js';
import { dataLoaderOnly, seedBefore } from './sides.js';
import { type SideRuns, userCacheCases } from './user-cache-cases.js';

const SIZES = [1, 10, 100, 1000] as const;
/** Distinct id lists cycled through per size, so no side reads one list over and over. */
const SETS_PER_SIZE = 8;

export interface RunOptions {
  progress?: (line: string) => void;
}

/**
 * The user-cache suite: getting n users by id (n = 1, 10, 100, 1,000) the seed's way (a
 * findUnique per id in sequence), with DataLoader batching and no Redis, and through the
 * service (getUsers, cold and warm), all in one process against the same database.
 */
export async function run({ progress = () => {} }: RunOptions = {}) {
  const env = readBenchEnv();
  const database = await createTestDatabase({ migrations: [migrations] });
  const prefix = `bench-${randomBytes(4).toString('hex')}:`;
  const serviceEnv = readEnv({
    ...process.env,
    DATABASE_URL: database.url,
    MESH_SERVICE_TOKEN: randomBytes(24).toString('hex'),
    LOG_LEVEL: 'silent',
    CACHE_KEY_PREFIX: prefix,
    // The bench calls far faster than a person: the per-user read limit is not what it measures.
    USER_READ_RATE_LIMIT: String(1_000_000),
  });
  const logger = createLogger({ name: 'bench', level: 'silent' });
  const db = createDatabase({
    PrismaClient,
    schema: 'users',
    env: readDbEnv({ ...process.env, DATABASE_URL: database.url }),
    logger,
  });
  const service = await buildUserCacheService(serviceEnv);
  const cache = await createCache({
    service: SERVICE_NAME,
    env: readCacheEnv({ ...process.env, CACHE_KEY_PREFIX: prefix }),
    logger,
  });
  try {
    progress(`seeding ${env.users.toLocaleString('en-US')} users`);
    await seedUsers(db.pool, env.users);
    const caller = service.createCaller();
    const sides = {
      baseline: seedBefore(db.prisma),
      dataloader: dataLoaderOnly(db.prisma),
      cold: (ids: bigint[]) => caller.getUsers({ ids }),
      warm: (ids: bigint[]) => caller.getUsers({ ids }),
    };
    const results = new Map<number, SideRuns>();
    for (let round = 1; round <= env.runs; round++) {
      for (const size of SIZES) {
        const sets = idSets(SETS_PER_SIZE, size, env.users, size * 7919);
        const runs = results.get(size) ?? { baseline: [], dataloader: [], cold: [], warm: [] };
        results.set(size, runs);
        // Warm: every list read once, untimed, so the timed calls find it all in Redis.
        for (const ids of sets) await caller.getUsers({ ids });
        const order = (['baseline', 'dataloader', 'cold', 'warm'] as const).slice();
        if (round % 2 === 0) order.reverse();
        for (const side of order) {
          progress(`run ${round}/${env.runs}: ${size} ids, ${side}`);
          const measured: Measured = await measure({
            call: sides[side],
            idSets: sets,
            budgetMs: env.caseMs,
            // Cold: the users namespace emptied (untimed) before every call.
            before: side === 'cold' ? () => cache.invalidateNamespace('user') : undefined,
          });
          runs[side].push(measured);
          if (side === 'cold') for (const ids of sets) await caller.getUsers({ ids });
        }
      }
    }
    return { cases: userCacheCases(results, env) };
  } finally {
    await cache.clear().catch(() => 0);
    await cache.close();
    await service.close();
    await db.close();
    await database.drop();
  }
}
