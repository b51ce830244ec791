import { Writable } from 'node:stream';
import { createLogger } from '@mesh/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService, type MeshService } from '../create-service.js';
import { readKitEnv } from '../env.js';
import { type ConformanceRouter, conformanceRouter } from './conformance-router.js';

const silent = createLogger({
  name: 'fast-caller',
  destination: new Writable({ write: (_c, _e, done) => done() }),
});
const services = {} as Record<'official' | 'fast', MeshService<ConformanceRouter>>;

beforeAll(async () => {
  for (const [name, fast] of [
    ['official', 'false'],
    ['fast', 'true'],
  ] as const) {
    const env = readKitEnv({ MESH_SERVICE_TOKEN: 'fast-caller-token-0123456789', TRPC_FAST_PATH: fast });
    services[name] = await createService({
      name: 'fast-caller',
      router: conformanceRouter,
      env,
      logger: silent,
    });
  }
});
afterAll(async () => {
  await Promise.all(Object.values(services).map((service) => service.close()));
});

type Call = (caller: ReturnType<MeshService<ConformanceRouter>['createCaller']>) => Promise<unknown>;

/** What a call settles to, errors by their class, code, message and cause's message. */
async function outcome(call: Call, caller: ReturnType<MeshService<ConformanceRouter>['createCaller']>) {
  try {
    return { ok: await call(caller) };
  } catch (error) {
    const failure = error as { constructor: { name: string }; code?: string; message: string; cause?: Error };
    return {
      error: failure.constructor.name,
      code: failure.code,
      message: failure.message,
      cause: failure.cause?.message,
    };
  }
}

const CALLS: Record<string, Call> = {
  'a query with input, BigInt and Date': (caller) => caller.echo({ id: 41n, at: new Date(5), note: 'hi' }),
  'a query without input': (caller) => caller.noInput(),
  'a query answering undefined': (caller) => caller.nothing(),
  'a mutation': (caller) => caller.save({ name: 'widget' }),
  'input failing its schema': (caller) => caller.save({ name: '' }),
  'input of the wrong shape': (caller) => caller.echo({ id: 1 } as never),
  'a defined error': (caller) => caller.missing({ id: 7 }),
  'a TRPCError': (caller) => caller.conflict(),
  'a crash': (caller) => caller.crash(),
  'output failing its schema': (caller) => caller.badOutput(),
  'a public procedure': (caller) => caller.open(),
  'a path with no procedure': (caller) => (caller as unknown as { nope(): Promise<unknown> }).nope(),
  'a subscription': async (caller) => {
    const ticks: unknown[] = [];
    for await (const tick of await caller.ticks({ count: 3 })) ticks.push(tick);
    return ticks;
  },
};

describe("the service's in-process caller on the fast path", () => {
  for (const [name, call] of Object.entries(CALLS)) {
    it(`${name}: the same answer as tRPC's own caller`, async () => {
      const official = await outcome(call, services.official.createCaller());
      expect(await outcome(call, services.fast.createCaller())).toEqual(official);
    });
  }

  it('is not taken for a promise, at the root or on a path', async () => {
    const caller = services.fast.createCaller();
    expect((caller as unknown as { then?: unknown }).then).toBeUndefined();
    expect(await Promise.resolve(caller)).toBe(caller);
  });

  it('records the call in the procedure metrics, as a call through tRPC does', async () => {
    await services.fast.createCaller().save({ name: 'counted' });
    const text = await services.fast.metrics.registry.metrics();
    expect(text).toMatch(/mesh_procedure_calls_total\{[^}]*procedure="save"[^}]*\} [1-9]/);
  });
});
