import { parseEnv } from '@mesh/config';
import { z } from 'zod';

const schema = z.object({
  DATABASE_URL: z.string().default('postgresql://postgres@127.0.0.1:5432/postgres'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
});

/** Where the tests' real PostgreSQL and Redis are (CI and laptops: the defaults). */
export const testEnv = parseEnv(schema);
