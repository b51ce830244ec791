import { parseEnv } from '@mesh/config';
import { z } from 'zod';

const schema = z.object({
  /**
   * Where Redis is. Unset means the laptop default; set but empty means "no Redis": the
   * service runs on the in-process fallback and says so in `/readyz`.
   */
  REDIS_URL: z
    .string()
    .default('redis://127.0.0.1:6379')
    .transform((value) => (value === '' ? null : value))
    .pipe(z.url({ protocol: /^rediss?$/ }).nullable()),
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().positive().default(500),
});

export type CacheEnv = z.infer<typeof schema>;

export function readCacheEnv(source: Record<string, string | undefined> = process.env): CacheEnv {
  return parseEnv(schema, source);
}
