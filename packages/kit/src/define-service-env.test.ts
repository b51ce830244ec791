import { catalogue } from '@mesh/catalogue';
import { EnvError } from '@mesh/config';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineServiceEnv } from './define-service-env.js';

const token = { MESH_SERVICE_TOKEN: 'a-service-token-of-enough-length' };

function refused(read: () => unknown): string[] {
  try {
    read();
  } catch (error) {
    if (error instanceof EnvError) return error.variables;
    throw error;
  }
  return [];
}

describe('defineServiceEnv', () => {
  const analytics = defineServiceEnv({
    service: 'analytics',
    peers: ['user-cache'],
    shape: { ANALYTICS_CHUNK_SIZE: z.coerce.number().int().min(1).default(1000) },
  });

  it("takes the service's ports and its peers' URLs from the catalogue when nothing is set", () => {
    const env = analytics.read(token);

    expect(env).toMatchObject({
      ANALYTICS_PORT: catalogue.analytics.httpPort,
      ANALYTICS_GRPC_PORT: catalogue.analytics.grpcPort,
      port: catalogue.analytics.httpPort,
      grpcPort: catalogue.analytics.grpcPort,
      USER_CACHE_URL: catalogue['user-cache'].defaultUrl,
      ANALYTICS_CHUNK_SIZE: 1000,
      HOST: '127.0.0.1',
    });
    expect(env.db.DATABASE_URL).toMatch(/^postgresql:/);
    expect(env.cache.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expectTypeOf(env.ANALYTICS_GRPC_PORT).toEqualTypeOf<number>();
    expectTypeOf(env.USER_CACHE_URL).toEqualTypeOf<string>();
    expectTypeOf(env.ANALYTICS_CHUNK_SIZE).toEqualTypeOf<number>();
  });

  it('moves the ports and the peers by their variables', () => {
    const env = analytics.read({
      ...token,
      ANALYTICS_PORT: '5030',
      ANALYTICS_GRPC_PORT: '5031',
      USER_CACHE_URL: 'http://user-cache.internal:80',
    });

    expect([env.port, env.grpcPort, env.USER_CACHE_URL]).toEqual([
      5030,
      5031,
      'http://user-cache.internal:80',
    ]);
  });

  it('names every bad variable at once: the kit’s, the ports, the peers and its own', () => {
    expect(
      refused(() =>
        analytics.read({
          ANALYTICS_GRPC_PORT: '70000',
          USER_CACHE_URL: 'nowhere',
          ANALYTICS_CHUNK_SIZE: '0',
        }),
      ),
    ).toEqual(['MESH_SERVICE_TOKEN', 'ANALYTICS_GRPC_PORT', 'USER_CACHE_URL', 'ANALYTICS_CHUNK_SIZE']);
  });

  it('names the bad variables of every group at once: its own, the database, the cache and telemetry', () => {
    let caught: unknown;
    try {
      analytics.read({
        ...token,
        ANALYTICS_CHUNK_SIZE: '0',
        DB_POOL_MAX: 'many',
        REDIS_URL: 'not a url',
        OTEL_TRACES_SAMPLER_ARG: '2',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EnvError);
    const { variables, message } = caught as EnvError;
    expect(variables).toEqual([
      'ANALYTICS_CHUNK_SIZE',
      'DB_POOL_MAX',
      'REDIS_URL',
      'OTEL_TRACES_SAMPLER_ARG',
    ]);
    for (const variable of variables) expect(message).toContain(`${variable}:`);
    expect(message).not.toContain('many');
  });

  it("runs the service's own cross-field check", () => {
    const paired = defineServiceEnv({
      service: 'ingestion',
      shape: { LEFT: z.string().optional(), RIGHT: z.string().optional() },
      refine(env, context) {
        if ((env.LEFT === undefined) !== (env.RIGHT === undefined))
          context.addIssue({ code: 'custom', path: ['RIGHT'], message: 'goes with LEFT' });
      },
    });

    expect(refused(() => paired.read({ ...token, LEFT: 'x' }))).toEqual(['RIGHT']);
    expect(refused(() => paired.read({ ...token, LEFT: 'x', RIGHT: 'y' }))).toEqual([]);
  });

  it("points Prisma's CLI at the service's own schema", () => {
    const url = new URL(
      analytics.migrationDatabaseUrl({ DATABASE_URL: 'postgresql://u@db:5432/mesh?sslmode=require' }),
    );

    expect(url.searchParams.get('schema')).toBe(catalogue.analytics.database.schema);
    expect(url.searchParams.get('sslmode')).toBe('require');
  });
});
