import { randomBytes } from 'node:crypto';
import { serviceEnvSource } from '@mesh/bench';
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
import { dataLoaderOnly, findUniqueLoop } from './sides.js';
import { type SideRuns, userCacheCases } from './user-cache-cases.js';

const SIZES = [1, 10, 100, 1000] as const;
/** Distinct id lists cycled through per size, so no side reads one list over and over. */
const SETS_PER_SIZE = 8;
/** The L1 instance's `USER_CACHE_L1_ENTRIES`: room for every list of every size. */
const L1_ENTRIES = 20_000;

export interface RunOptions {
  progress?: (line: string) => void;
}

/**
 * The user-cache suite: getting n users by id (n = 1, 10, 100, 1,000) the old way (a
 * findUnique per id in sequence), with DataLoader batching and no Redis, and through the
 * service (getUsers, cold and warm; warm also on a second instance with the L1 on), all in
 * one process against the same database.
 */
export async function run({ progress = () => {} }: RunOptions = {}) {
  const env = readBenchEnv();
  // Undone in reverse order whatever fails, so a failed run leaves no database or keys behind.
  const cleanup: Array<() => Promise<unknown>> = [];
  try {
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
    });
    cleanup.push(async () => {
      await cache.clear().catch(() => 0);
      await cache.close();
    });
    const service = await buildUserCacheService(
      readEnv(
        serviceEnvSource({
          DATABASE_URL: database.url,
          MESH_SERVICE_TOKEN: randomBytes(24).toString('hex'),
          LOG_LEVEL: 'silent',
          CACHE_KEY_PREFIX: prefix,
          // The bench calls far faster than a person: the per-user read limit is not what it measures.
          USER_READ_RATE_LIMIT: String(1_000_000),
        }),
      ),
    );
    cleanup.push(() => service.close());
    // A second instance on the same Redis and key prefix, with the in-process L1 on: its
    // invalidation bus hears what the first one writes or invalidates, as replicas would.
    const serviceWithL1 = await buildUserCacheService(
      readEnv(
        serviceEnvSource({
          DATABASE_URL: database.url,
          MESH_SERVICE_TOKEN: randomBytes(24).toString('hex'),
          LOG_LEVEL: 'silent',
          CACHE_KEY_PREFIX: prefix,
          USER_READ_RATE_LIMIT: String(1_000_000),
          USER_CACHE_L1_ENTRIES: String(L1_ENTRIES),
        }),
      ),
    );
    cleanup.push(() => serviceWithL1.close());

    progress(`seeding ${env.users.toLocaleString('en-US')} users`);
    await seedUsers(db.pool, env.users);
    const caller = service.createCaller();
    const callerWithL1 = serviceWithL1.createCaller();
    const sides: Sides = {
      baseline: findUniqueLoop(db.prisma),
      dataloader: dataLoaderOnly(db.prisma),
      cold: (ids) => caller.getUsers({ ids }),
      warm: (ids) => caller.getUsers({ ids }),
      warmL1: (ids) => callerWithL1.getUsers({ ids }),
    };
    const warmUp = async (sets: bigint[][]) => {
      for (const ids of sets) await caller.getUsers({ ids });
      for (const ids of sets) await callerWithL1.getUsers({ ids });
    };
    const results = await measureSizes({
      env,
      sides,
      warmUp,
      empty: () => cache.invalidateNamespace('user'),
      progress,
    });
    return { cases: userCacheCases(results, env) };
  } finally {
    for (const undo of cleanup.reverse()) await undo();
  }
}

type Side = keyof SideRuns;
type Sides = Record<Side, (ids: bigint[]) => Promise<ReadonlyArray<{ id: bigint } | null>>>;

interface MeasureSizesOptions {
  env: ReturnType<typeof readBenchEnv>;
  sides: Sides;
  /** Reads every list once through the service, so its users are in Redis. */
  warmUp(sets: bigint[][]): Promise<void>;
  /** Empties the users namespace (for a cold call). */
  empty(): Promise<unknown>;
  progress(line: string): void;
}

/** Every side for every size, `runs` times, sides interleaved and their order reversed every other run. */
async function measureSizes({ env, sides, warmUp, empty, progress }: MeasureSizesOptions) {
  const results = new Map<number, SideRuns>();
  for (let round = 1; round <= env.runs; round++) {
    for (const size of SIZES) {
      const sets = idSets(SETS_PER_SIZE, size, env.users, size * 7919);
      const runs = results.get(size) ?? { baseline: [], dataloader: [], cold: [], warm: [], warmL1: [] };
      results.set(size, runs);
      await warmUp(sets);
      const order: Side[] = ['baseline', 'dataloader', 'cold', 'warm', 'warmL1'];
      if (round % 2 === 0) order.reverse();
      for (const side of order) {
        progress(`run ${round}/${env.runs}: ${size} ids, ${side}`);
        const measured: Measured = await measure({
          call: sides[side],
          idSets: sets,
          budgetMs: env.caseMs,
          // Cold: the users namespace emptied (untimed) before every call.
          before: side === 'cold' ? empty : undefined,
        });
        runs[side].push(measured);
        if (side === 'cold') await warmUp(sets);
      }
    }
  }
  return results;
}
