import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { catalogue, type ServiceName, serviceEntries, serviceEntry, traceExplorer } from './catalogue.js';
import { repoPath } from './repo-path.js';

describe('the service catalogue', () => {
  it('has one entry per folder under services/, in start order', () => {
    const folders = readdirSync(repoPath('services')).filter((name) =>
      existsSync(repoPath(`services/${name}/package.json`)),
    );

    expect(serviceEntries.map((entry) => entry.name).sort()).toEqual(folders.sort());
    expect(Object.keys(catalogue)).toEqual(['ingestion', 'user-cache', 'analytics', 'bot-control']);
  });

  it('gives every process its own ports and every service its own schema', () => {
    const ports = [
      traceExplorer.httpPort,
      ...serviceEntries.flatMap((entry) => [entry.httpPort, entry.grpcPort]),
    ];
    const schemas = serviceEntries.map((entry) => entry.database.schema);

    expect(new Set(ports).size).toBe(ports.length);
    expect(new Set(schemas).size).toBe(schemas.length);
  });

  it('points at entries and migration folders that exist', () => {
    for (const entry of [traceExplorer, ...serviceEntries])
      expect(existsSync(repoPath(entry.entry))).toBe(true);
    for (const { database } of serviceEntries)
      expect(existsSync(repoPath(database.migrationsDir))).toBe(true);
  });

  it('derives the variable names, URLs and SDK key from the name and ports', () => {
    const userCache = catalogue['user-cache'];

    expect(userCache).toMatchObject({
      envPrefix: 'USER_CACHE',
      portVar: 'USER_CACHE_PORT',
      grpcPortVar: 'USER_CACHE_GRPC_PORT',
      urlVar: 'USER_CACHE_URL',
      httpPort: 4020,
      grpcPort: 4021,
      defaultUrl: 'http://127.0.0.1:4020',
      clusterUrl: 'http://user-cache:4020',
      clientKey: 'userCache',
      image: 'mesh-user-cache',
      database: { schema: 'users', migrationsDir: 'services/user-cache/prisma/migrations' },
    });
    expect(traceExplorer).toMatchObject({
      portVar: 'TRACE_EXPLORER_PORT',
      defaultUrl: 'http://127.0.0.1:4000',
    });
    expectTypeOf(catalogue['bot-control'].grpcPortVar).toEqualTypeOf<'BOT_CONTROL_GRPC_PORT'>();
    expectTypeOf(catalogue['bot-control'].clientKey).toEqualTypeOf<'botControl'>();
    expectTypeOf<ServiceName>().toEqualTypeOf<'ingestion' | 'user-cache' | 'analytics' | 'bot-control'>();
  });

  it('refuses a service name it does not hold, naming the ones it does', () => {
    expect(serviceEntry('analytics').grpcPort).toBe(4031);
    expect(() => serviceEntry('billing')).toThrow(RangeError);
  });
});
