import { randomBytes } from 'node:crypto';
import { createCache, readCacheEnv } from '@mesh/cache';
import { createDatabase, readDbEnv } from '@mesh/db';
import { createTestDatabase } from '@mesh/db/testing';
import { createLogger, withRequestStats } from '@mesh/telemetry';
import { idSets, seedUsers } from './bench/seed-users.ts';
import { readEnv } from './src/env.ts';
import { PrismaClient } from './src/generated/prisma/client.ts';
import { migrations } from './src/migrations.ts';
import { buildUserCacheService } from './src/server.ts';

const database = await createTestDatabase({ migrations: [migrations] });
const env = readEnv({
  ...process.env,
  DATABASE_URL: database.url,
  MESH_SERVICE_TOKEN: randomBytes(24).toString('hex'),
  LOG_LEVEL: 'silent',
  CACHE_KEY_PREFIX: 'prof-y:',
  USER_READ_RATE_LIMIT: '1000000',
});
const logger = createLogger({ name: 'x', level: 'silent' });
const db = createDatabase({
  PrismaClient,
  schema: 'users',
  env: readDbEnv({ DATABASE_URL: database.url }),
  logger,
});
const service = await buildUserCacheService(env);
const cache = await createCache({
  service: 'user-cache',
  env: readCacheEnv({ CACHE_KEY_PREFIX: 'prof-y:' }),
  logger,
});
try {
  await seedUsers(db.pool, 5000);
  const [ids] = idSets(1, 1000, 5000, 3);
  const caller = service.createCaller();
  let total = 0;
  for (let i = 0; i < 60; i++) {
    await cache.invalidateNamespace('user');
    const t = performance.now();
    await caller.getUsers({ ids: ids! });
    if (i >= 10) total += performance.now() - t;
  }
  console.log('cold ms', total / 50);
  const t = performance.now();
  for (let i = 0; i < 50; i++) await db.prisma.user.findMany({ where: { id: { in: ids! } } });
  console.log('findMany ms', (performance.now() - t) / 50);
} finally {
  await cache.clear();
  await cache.close();
  await service.close();
  await db.close();
  await database.drop();
}
