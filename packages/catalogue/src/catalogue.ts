import { defineProcess, defineService, type ServiceEntry } from './define-service.js';

/**
 * The mesh's services, in start order: the one place their name, ports and Postgres schema
 * are written. Everything else reads them from here: `mesh up` (packages/cli/src/services.ts),
 * the SDK's default URLs, each service's env.ts (kit's defineServiceEnv: its port variables
 * and its peers' URLs) and migrations.ts, the shared test harness (@mesh/testing), the
 * migration Job (deploy/migrate) and the Kubernetes manifests (deploy/k8s/generate writes
 * them; test/deploy/generated-manifests.test.ts fails when the committed ones differ).
 *
 * A fifth service: add its `defineService` line here; create `services/<name>` with an env.ts
 * through kit's defineServiceEnv, a main.ts through runServiceMain and its prisma/migrations;
 * run `node --import tsx deploy/k8s/generate/main.ts`; give its image a tag in each overlay.
 * `mesh up`, the migration Job, the manifests and every peer's `<NAME>_URL` follow.
 * A second port per service: one field on `defineService` and `ServiceEntry`, read by
 * defineServiceEnv (its variable and default) and deploy/k8s/generate/service-manifest.ts.
 */
const services = [
  defineService({ name: 'ingestion', httpPort: 4010, grpcPort: 4011, schema: 'ingestion' }),
  defineService({ name: 'user-cache', httpPort: 4020, grpcPort: 4021, schema: 'users' }),
  defineService({ name: 'analytics', httpPort: 4030, grpcPort: 4031, schema: 'analytics' }),
  defineService({ name: 'bot-control', httpPort: 4040, grpcPort: 4041, schema: 'bots' }),
] as const;

/** The name of a service of the mesh: `'ingestion' | 'user-cache' | 'analytics' | 'bot-control'`. */
export type ServiceName = (typeof services)[number]['name'];

/** Every service by name: `catalogue['user-cache'].grpcPort`. */
export const catalogue = Object.fromEntries(services.map((entry) => [entry.name, entry])) as {
  readonly [TName in ServiceName]: ServiceEntry<TName>;
};

/** Every service, in start order. */
export const serviceEntries: readonly ServiceEntry<ServiceName>[] = services;

/**
 * The trace explorer: started by `mesh up` before the services (so their first spans have
 * somewhere to go) and stopped after them. No database, no gRPC face, no image of its own.
 */
export const traceExplorer = defineProcess({
  name: 'trace-explorer',
  httpPort: 4000,
  entry: 'packages/trace-explorer/src/main.ts',
});

/** The entry of a service by name; throws on a name the mesh does not have. */
export function serviceEntry(name: string): ServiceEntry<ServiceName> {
  const entry = serviceEntries.find((candidate) => candidate.name === name);
  if (!entry) {
    throw new RangeError(
      `no service "${name}" in the catalogue (known: ${serviceEntries.map((known) => known.name).join(', ')})`,
    );
  }
  return entry;
}
