import { emptyAsUndefined, parseEnv } from '@mesh/config';
import { z } from 'zod';
import { meshServices, portVarsOf } from './services.js';

const port = z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65_535).optional());

const shape = {
  /** Postgres to use. Unset or empty: start the embedded one with its data in .mesh/postgres. */
  DATABASE_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  /**
   * Redis to use. Unset: start redis-server from the PATH (or run without, loudly). Set but
   * empty: run without Redis on purpose; the services use their in-process fallback.
   */
  REDIS_URL: z.union([z.literal(''), z.url({ protocol: /^rediss?$/ })]).optional(),
  /** Shared bearer token for internal calls. Unset: a fresh one per run, written to .mesh/token. */
  MESH_SERVICE_TOKEN: z.preprocess(
    emptyAsUndefined,
    z.string().min(16, 'must be at least 16 characters').optional(),
  ),
  /** How long every service together gets to answer 200 on /readyz. */
  MESH_READY_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().default(60_000)),
  /** https://no-color.org: set and not empty turns colour off. */
  NO_COLOR: z
    .string()
    .optional()
    .transform((value) => value !== undefined && value !== ''),
  PATH: z.string().default(''),
};

export interface CliEnv {
  databaseUrl: string | undefined;
  /** `''` means "no Redis, on purpose". */
  redisUrl: string | undefined;
  serviceToken: string | undefined;
  readyTimeoutMs: number;
  noColor: boolean;
  path: string;
  /** Ports moved by their variables, keyed by variable name; unset ones are absent. */
  ports: Readonly<Record<string, number>>;
  /** The environment child processes start from (the parent's, unchanged). */
  inherited: Readonly<Record<string, string>>;
}

export interface ReadCliEnvOptions {
  source?: Record<string, string | undefined>;
  /** The port variables to validate; those of the mesh's services (HTTP and gRPC) by default. */
  portVars?: readonly string[];
}

/** Reads and validates everything `mesh` takes from the environment; throws naming the bad variable. */
export function readCliEnv({
  source = process.env,
  portVars = portVarsOf(meshServices),
}: ReadCliEnvOptions = {}): CliEnv {
  const portShape = Object.fromEntries(portVars.map((name) => [name, port]));
  const parsed = parseEnv(z.object({ ...shape, ...portShape }), source);
  const ports: Record<string, number> = {};
  for (const name of portVars) {
    const value: unknown = parsed[name as keyof typeof parsed];
    if (typeof value === 'number') ports[name] = value;
  }
  const inherited: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value !== undefined) inherited[name] = value;
  }
  return {
    databaseUrl: parsed.DATABASE_URL,
    redisUrl: parsed.REDIS_URL,
    serviceToken: parsed.MESH_SERVICE_TOKEN,
    readyTimeoutMs: parsed.MESH_READY_TIMEOUT_MS,
    noColor: parsed.NO_COLOR,
    path: parsed.PATH,
    ports,
    inherited,
  };
}
