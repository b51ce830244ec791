import { randomBytes } from 'node:crypto';
import { serviceEnvSource } from '@mesh/bench';
import { type Cache, createCache, readCacheEnv } from '@mesh/cache';
import { createDatabase, readDbEnv } from '@mesh/db';
import { createTestDatabase } from '@mesh/db/testing';
import { createLogger } from '@mesh/telemetry';
import { readEnv, SERVICE_NAME } from '../src/env.js';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { migrations } from '../src/migrations.js';
import { buildUserCacheService } from '../src/server.js';
import { seedUsers } from './seed-users.js';

/** The bench's own cache's L1: room for every list of every size. */
const L1_ENTRIES = 20_000;

type Service = Awaited<ReturnType<typeof buildUserCacheService>>;

export interface BenchSetup {
  db: ReturnType<typeof createDatabase<PrismaClient>>;
  /**
   * The bench's own view of the service's cache (same Redis and key prefix), with an L1: its
   * invalidations are announced on the bus as a replica's are, and the ledger reads through it.
   */
  cache: Cache;
  /** The service with its default settings (the validated L1 on), called in process. */
  caller: ReturnType<Service['createCaller']>;
  /** A second instance on the same Redis and prefix with the L1 off (`USER_CACHE_L1_ENTRIES=0`): the Redis path. */
  callerRedisOnly: ReturnType<Service['createCaller']>;
}

/**
 * A fresh database with `users` users, a key prefix of its own, and two instances of the
 * service on them. Everything it makes is undone by `cleanup` (run in reverse order).
 */
export async function setUpBench(
  users: number,
  cleanup: Array<() => Promise<unknown>>,
  progress: (line: string) => void,
): Promise<BenchSetup> {
  const database = await createTestDatabase({ migrations: [migrations] });
  cleanup.push(() => database.drop());
  const prefix = `bench-${randomBytes(4).toString('hex')}:`;
  const logger = createLogger({ name: 'bench', level: 'silent' });
  const db = createDatabase({
    PrismaClient,
    schema: 'users',
    env: readDbEnv(serviceEnvSource({ DATABASE_URL: database.url })),
    logger,
  });
  cleanup.push(() => db.close());
  const cache = await createCache({
    service: SERVICE_NAME,
    env: readCacheEnv(serviceEnvSource({ CACHE_KEY_PREFIX: prefix })),
    logger,
    l1: { maxEntries: L1_ENTRIES },
  });
  cleanup.push(async () => {
    await cache.clear().catch(() => 0);
    await cache.close();
  });
  const build = async (extra: Record<string, string>) => {
    const service = await buildUserCacheService(
      readEnv(
        serviceEnvSource({
          DATABASE_URL: database.url,
          MESH_SERVICE_TOKEN: randomBytes(24).toString('hex'),
          LOG_LEVEL: 'silent',
          CACHE_KEY_PREFIX: prefix,
          // The bench calls far faster than a person: the per-user read limit is not what it measures.
          USER_READ_RATE_LIMIT: String(1_000_000),
          ...extra,
        }),
      ),
    );
    cleanup.push(() => service.close());
    return service.createCaller();
  };
  const caller = await build({});
  // Same Redis and key prefix, as a replica: the Redis path, measured in the same run.
  const callerRedisOnly = await build({ USER_CACHE_L1_ENTRIES: '0' });
  progress(`seeding ${users.toLocaleString('en-US')} users`);
  await seedUsers(db.pool, users);
  return { db, cache, caller, callerRedisOnly };
}
