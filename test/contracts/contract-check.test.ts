import { createAnalyticsRouter } from '@mesh/analytics/router';
import { createBotControlRouter } from '@mesh/bot-control/router';
import { AnalyticsService, BotControlService, IngestionService, UserCacheService } from '@mesh/contracts';
import { createIngestionRouter } from '@mesh/ingestion/router';
import { listProcedures, procedureInputs } from '@mesh/kit';
import { createUserCacheRouter } from '@mesh/user-cache/router';
import type { AnyRouter } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { type ContractExclusion, compareContract, type ProcedureEntry } from './compare-contract.js';

/**
 * Dependencies that throw when used: building a router only closes over them (destructuring
 * hands out each one untouched), so procedures and input schemas are read without a database
 * or Redis, and a router that started using a dependency at build time would fail here.
 */
function unused(name: string): never {
  const fail = () => {
    throw new Error(`the router used ${name} while being built`);
  };
  return new Proxy(() => undefined, { get: fail, apply: fail, construct: fail }) as never;
}
const untouched = new Proxy({} as never, { get: (_target, key) => unused(`deps.${String(key)}`) });

const entriesOf = (router: AnyRouter): ProcedureEntry[] =>
  listProcedures(router).map(({ path, type, procedure }) => ({
    path,
    type,
    inputs: procedureInputs(procedure),
  }));

/** Procedures or RPCs left out of the pairing on purpose, each with its reason. None today. */
const exclusions: Record<string, ContractExclusion[]> = {};

const services = [
  { name: 'ingestion', service: IngestionService, router: () => createIngestionRouter(untouched) },
  { name: 'user-cache', service: UserCacheService, router: () => createUserCacheRouter(untouched) },
  { name: 'analytics', service: AnalyticsService, router: () => createAnalyticsRouter(untouched) },
  { name: 'bot-control', service: BotControlService, router: () => createBotControlRouter(untouched) },
];

describe('the proto contracts match the tRPC routers', () => {
  for (const { name, service, router } of services) {
    it(`${name}: every procedure has its RPC, every RPC its procedure, inputs field for field`, () => {
      const procedures = entriesOf(router());
      expect(procedures.length).toBeGreaterThan(0);
      expect(compareContract({ service, procedures, exclusions: exclusions[name] ?? [] })).toEqual([]);
    });
  }
});
