import { type CacheEnv, readCacheEnv } from '@mesh/cache';
import { catalogue, type ServiceEntry, type ServiceName } from '@mesh/catalogue';
import { EnvError, parseEnv } from '@mesh/config';
import { type DbEnv, readDbEnv } from '@mesh/db';
import { readTelemetryEnv, type TelemetryEnv } from '@mesh/telemetry';
import { z } from 'zod';
import { type KitEnv, kitEnvShape } from './env.js';

/** Where settings come from: process.env in a service's env.ts, a literal in tests. */
export type EnvSource = Record<string, string | undefined>;

const portSchema = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

export interface DefineServiceEnvOptions<
  TName extends ServiceName,
  TPeer extends ServiceName,
  TShape extends z.ZodRawShape,
> {
  /** The service, as the catalogue names it: its port variables and defaults come from there. */
  service: TName;
  /** The services it calls: each gets `<PEER>_URL`, by default the peer's laptop URL. */
  peers?: readonly TPeer[];
  /** The service's own settings, beside the kit's and the catalogue's. */
  shape: TShape;
  /** Checks across the service's own settings, e.g. half a Telegram configuration. */
  refine?: (env: z.output<z.ZodObject<TShape>>, context: z.RefinementCtx) => void;
}

/** Every setting of a service: its own, the kit's, its ports and peers, and the shared readers'. */
export type ServiceEnv<
  TName extends ServiceName,
  TPeer extends ServiceName,
  TShape extends z.ZodRawShape,
> = z.output<z.ZodObject<TShape>> &
  KitEnv & {
    [TVar in ServiceEntry<TName>['portVar'] | ServiceEntry<TName>['grpcPortVar']]: number;
  } & { [TVar in ServiceEntry<TPeer>['urlVar']]: string } & {
    /** The HTTP port (`<PREFIX>_PORT`, the catalogue's by default). */
    port: number;
    /** The gRPC port (`<PREFIX>_GRPC_PORT`, the catalogue's by default). */
    grpcPort: number;
    db: DbEnv;
    cache: CacheEnv;
    telemetry: TelemetryEnv;
  };

export interface ServiceEnvDefinition<
  TName extends ServiceName,
  TPeer extends ServiceName,
  TShape extends z.ZodRawShape,
> {
  /** The service's catalogue entry. */
  entry: ServiceEntry<TName>;
  /** Validates every setting at once; throws an EnvError naming each bad variable. */
  read(source: EnvSource): ServiceEnv<TName, TPeer, TShape>;
  /** The URL Prisma's CLI uses (`migrate status`): `_prisma_migrations` lives in the service's schema. */
  migrationDatabaseUrl(source: EnvSource): string;
  /**
   * What a service's env.ts exports, reading `source` (its `process.env`) unless a caller
   * passes another: `export const { readEnv, ... } = myEnv.exports(process.env)`.
   */
  exports(source: EnvSource): ServiceEnvExports<TName, TPeer, TShape>;
}

export interface ServiceEnvExports<
  TName extends ServiceName,
  TPeer extends ServiceName,
  TShape extends z.ZodRawShape,
> {
  SERVICE_NAME: TName;
  DB_SCHEMA: string;
  /** Every setting of the service, validated at once; throws an EnvError naming each bad variable. */
  readEnv(source?: EnvSource): ServiceEnv<TName, TPeer, TShape>;
  /** The URL Prisma's CLI uses (`migrate status`): `_prisma_migrations` lives in the service's schema. */
  migrationDatabaseUrl(source?: EnvSource): string;
}

/**
 * Each group of settings read in turn, and one EnvError with every group's bad variables when
 * any fails, so a start-up names them all at once rather than only the first group's.
 */
function readEveryGroup<TGroups extends Record<string, () => unknown>>(
  groups: TGroups,
): { [TKey in keyof TGroups]: ReturnType<TGroups[TKey]> } {
  const values: Record<string, unknown> = {};
  const failures: EnvError[] = [];
  for (const [name, read] of Object.entries(groups)) {
    try {
      values[name] = read();
    } catch (error) {
      if (!(error instanceof EnvError)) throw error;
      failures.push(error);
    }
  }
  if (failures.length > 0) throw EnvError.combine(failures);
  return values as { [TKey in keyof TGroups]: ReturnType<TGroups[TKey]> };
}

/**
 * A service's environment: the kit's settings, its HTTP and gRPC ports and its peers' URLs
 * (names and defaults from the catalogue), the database, cache and telemetry settings, and
 * the service's own `shape`. The service's env.ts calls this once and passes `process.env`
 * to `read`, so process.env is still read in env.ts and nowhere else.
 */
export function defineServiceEnv<
  TName extends ServiceName,
  TShape extends z.ZodRawShape,
  TPeer extends ServiceName = never,
>(options: DefineServiceEnvOptions<TName, TPeer, TShape>): ServiceEnvDefinition<TName, TPeer, TShape> {
  const entry = catalogue[options.service] as ServiceEntry<TName>;
  const peerShape = Object.fromEntries(
    (options.peers ?? []).map((peer) => [
      catalogue[peer].urlVar,
      z.url().default(catalogue[peer].defaultUrl),
    ]),
  );
  const base = z.object({
    ...kitEnvShape,
    [entry.portVar]: portSchema(entry.httpPort),
    [entry.grpcPortVar]: portSchema(entry.grpcPort),
    ...peerShape,
    ...options.shape,
  });
  const { refine } = options;
  const schema = refine
    ? base.superRefine((env, context) =>
        refine(env as z.output<z.ZodObject<TShape>>, context as z.RefinementCtx),
      )
    : base;
  const definition: ServiceEnvDefinition<TName, TPeer, TShape> = {
    entry,
    read(source) {
      const groups = readEveryGroup({
        own: () => parseEnv(schema, source) as Record<string, unknown>,
        db: () => readDbEnv(source),
        cache: () => readCacheEnv(source),
        telemetry: () => readTelemetryEnv(source),
      });
      return {
        ...groups.own,
        port: groups.own[entry.portVar] as number,
        grpcPort: groups.own[entry.grpcPortVar] as number,
        db: groups.db,
        cache: groups.cache,
        telemetry: groups.telemetry,
      } as ServiceEnv<TName, TPeer, TShape>;
    },
    migrationDatabaseUrl(source) {
      const url = new URL(readDbEnv(source).DATABASE_URL);
      url.searchParams.set('schema', entry.database.schema);
      return url.toString();
    },
    exports: (defaultSource) => ({
      SERVICE_NAME: entry.name,
      DB_SCHEMA: entry.database.schema,
      readEnv: (source = defaultSource) => definition.read(source),
      migrationDatabaseUrl: (source = defaultSource) => definition.migrationDatabaseUrl(source),
    }),
  };
  return definition;
}
