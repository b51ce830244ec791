import { randomBytes } from 'node:crypto';
import { createDatabase, readDbEnv } from '@mesh/db';
import { createTestDatabase } from '@mesh/db/testing';
import { createLogger, withRequestStats } from '@mesh/telemetry';
import { DB_SCHEMA, readEnv } from '../src/env.js';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { migrations } from '../src/migrations.js';
import { buildIngestionService } from '../src/server.js';
import { createSimulatedSource } from '../src/sources/simulated-source.js';
import { copySync } from './copy-sync.js';
import { readBenchEnv } from './env.js';
import { gatewayAfter } from './gateway-after.js';
import { gatewayBefore } from './gateway-before.js';
import { type Measured, syncCases, writeCases } from './ingestion-cases.js';
import { measureInsertPaths } from './measure-insert-paths.js';
import { benchChannels, type SideRun, type Workload } from './workload.js';

export interface RunOptions {
  progress?: (line: string) => void;
}

const SIZES = [
  { channels: 5, limit: 500 },
  { channels: 50, limit: 2000 },
];

/**
 * The ingestion suite: the same sync done by the old gateway's "before" and "after" code, by the
 * service (syncMessages through its in-process caller), and with COPY as the write, on a bench
 * database of its own, for two sizes, with and without a simulated Telegram round trip.
 */
export async function run({ progress = () => {} }: RunOptions = {}) {
  const env = readBenchEnv();
  const database = await createTestDatabase({ migrations: [migrations] });
  const logger = createLogger({ name: 'bench', level: 'silent' });
  const db = createDatabase({
    PrismaClient,
    schema: DB_SCHEMA,
    env: readDbEnv({ DATABASE_URL: database.url, DB_POOL_MAX: '10' }),
    logger,
  });
  const serviceEnv = readEnv({
    DATABASE_URL: database.url,
    MESH_SERVICE_TOKEN: randomBytes(24).toString('hex'),
    LOG_LEVEL: 'silent',
    REDIS_URL: '',
    DB_POOL_MAX: '10',
  });
  try {
    const all = benchChannels(Math.max(...SIZES.map((size) => size.channels)));
    await db.prisma.channel.createMany({
      data: all.map((channel) => ({ id: channel.id, username: channel.username, title: channel.username })),
    });

    /** One timed run on an empty messages table; the saved count must be channels x limit. */
    const measure = async (work: () => Promise<number>): Promise<SideRun> => {
      await db.pool.query('TRUNCATE messages');
      const started = performance.now();
      const { result: saved, stats } = await withRequestStats(work);
      return { ms: performance.now() - started, queries: stats.dbQueries, saved };
    };

    const measured: Measured[] = [];
    for (const latencyMs of [0, env.latencyMs]) {
      const source = createSimulatedSource({ messagesPerChannel: 1_000_000, latencyMs });
      const service = await buildIngestionService(serviceEnv, { source });
      const caller = service.createCaller();
      try {
        for (const size of SIZES) {
          const workload: Workload = { channels: all.slice(0, size.channels), limit: size.limit, source };
          const ids = workload.channels.map((channel) => channel.id);
          const sides = {
            before: () => gatewayBefore(db.pool, workload),
            after: () => gatewayAfter(db.pool, workload),
            service: async () =>
              (await caller.syncMessages({ channels: ids, limit: size.limit, concurrency: 3 })).totals
                .messagesSaved,
            copy: () => copySync(db.pool, workload),
          };
          const runs: Record<keyof typeof sides, SideRun[]> = {
            before: [],
            after: [],
            service: [],
            copy: [],
          };
          const big = size.channels * size.limit > 10_000;
          for (let round = 1; round <= env.runs; round++) {
            const names = Object.keys(sides) as Array<keyof typeof sides>;
            // Alternate the order, so no side always runs on a warmer (or busier) machine.
            for (const name of round % 2 === 1 ? names : [...names].reverse()) {
              // One before run at 50x2,000 is 100,000 INSERT round trips (over a minute here).
              if (name === 'before' && big && (round > env.beforeBigRuns || (latencyMs > 0 && env.quick)))
                continue;
              progress(
                `${size.channels}x${size.limit}, ${latencyMs} ms/call, run ${round}/${env.runs}: ${name}`,
              );
              runs[name].push(await measure(sides[name]));
            }
          }
          measured.push({ ...size, latencyMs, runs });
        }
      } finally {
        await service.close();
      }
    }
    progress('insert paths: createMany vs UNNEST vs COPY, 10x2000 rows, no fetch');
    const writes = await measureInsertPaths({
      db,
      channels: all.slice(0, 10),
      limit: 2000,
      runs: env.runs,
      measure,
    });
    return { cases: [...syncCases(measured, env), ...writeCases(writes)] };
  } finally {
    await db.close();
    await database.drop();
  }
}
