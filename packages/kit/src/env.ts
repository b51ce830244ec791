import { parseEnv } from '@mesh/config';
import { z } from 'zod';

/**
 * Settings every service reads through the kit. A service's own `env.ts` spreads this
 * shape into its schema, so one parse validates both.
 */
export const kitEnvShape = {
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Bearer token every internal call carries. No default: a secret is never in code. */
  MESH_SERVICE_TOKEN: z.string().min(16, 'must be at least 16 characters'),
  SLOW_REQUEST_MS: z.coerce.number().int().positive().default(1000),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  MAX_BATCH_SIZE: z.coerce.number().int().positive().default(100),
  /**
   * Serve plain JSON queries and mutations on the kit's fast path (the official tRPC adapter
   * stays mounted for everything else); `false` sends every call through the adapter.
   */
  TRPC_FAST_PATH: z.stringbool().default(true),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /**
   * Origins whose pages may call the service from a browser, comma separated
   * (`https://dash.example.com,http://localhost:5173`); empty, the default, allows none.
   */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z
          .url()
          .refine(
            (origin) => URL.canParse(origin) && new URL(origin).origin === origin,
            'must be an origin like https://host:port',
          ),
      ),
    ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

const kitEnvSchema = z.object(kitEnvShape);
export type KitEnv = z.infer<typeof kitEnvSchema>;

/** The kit's settings alone, e.g. for a test service: `readKitEnv({ MESH_SERVICE_TOKEN })`. */
export function readKitEnv(source: Record<string, string | undefined> = process.env): KitEnv {
  return parseEnv(kitEnvSchema, source);
}
