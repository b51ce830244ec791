// How the chunk size of the UNNEST write moves its throughput (docs/benchmarks.md, "chunk size").
// Run: node --import tsx services/ingestion/bench/chunk-size-experiment.ts
import { createDatabase, readDbEnv } from '@mesh/db';
import { createTestDatabase } from '@mesh/db/testing';
import { createLogger } from '@mesh/telemetry';
import { DB_SCHEMA } from '../src/env.js';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { migrations } from '../src/migrations.js';
import { simulatedMessage } from '../src/sources/simulated-source.js';
import { writeMessages } from '../src/sync/write-messages.js';
import { benchChannels } from './workload.js';

const database = await createTestDatabase({ migrations: [migrations] });
const db = createDatabase({
  PrismaClient,
  schema: DB_SCHEMA,
  env: readDbEnv({ DATABASE_URL: database.url }),
  logger: createLogger({ name: 'x', level: 'silent' }),
});
const channels = benchChannels(20);
await db.prisma.channel.createMany({
  data: channels.map((c) => ({ id: c.id, username: c.username, title: 'x' })),
});
const batches = channels.map((c) => ({
  c,
  m: Array.from({ length: 5000 }, (_, i) => simulatedMessage(c, BigInt(i + 1))),
}));
const results: Record<number, number[]> = {};
for (let round = 0; round < 3; round++) {
  for (const chunk of [250, 500, 1000, 2000, 5000]) {
    await db.pool.query('TRUNCATE messages');
    const t = performance.now();
    for (const { c, m } of batches)
      await writeMessages({
        pool: db.pool,
        channelId: c.id,
        source: 'simulated',
        messages: m,
        chunkSize: chunk,
      });
    results[chunk] = [...(results[chunk] ?? []), Math.round(performance.now() - t)];
  }
}
for (const [chunk, runs] of Object.entries(results))
  console.log(`chunk ${chunk}: ${runs.join(', ')} ms for 100,000 rows (20 channels x 5,000)`);
await db.close();
await database.drop();
