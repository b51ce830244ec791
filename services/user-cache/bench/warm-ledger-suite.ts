import { median, type SuiteCase } from '@mesh/bench';
import { withRequestStats } from '@mesh/telemetry';
import { createUserStore } from '../src/users/user-store.js';
import { setUpBench } from './bench-setup.js';
import { readBenchEnv } from './env.js';
import { idSets } from './seed-users.js';
import { dataLoaderOnly } from './sides.js';

const IDS = 100;
const SETS = 8;

type Call = (ids: bigint[]) => Promise<unknown>;

/**
 * Where a warm `getUsers` of 100 ids spends its time: the same lists read through each layer
 * from the outside in (the in-process tRPC caller, the user store, the cache's
 * getManyOrLoad, its stats scope, the pipelined MGET alone), with the validated L1 (the
 * default) and without it (the Redis path), with and without wallets, each against
 * DataLoader + 1 SQL for the same users measured in the same runs. The difference between two
 * rows is what the layer between them costs.
 */
export async function run({ progress = () => {} }: { progress?: (line: string) => void } = {}) {
  const env = readBenchEnv();
  const cleanup: Array<() => Promise<unknown>> = [];
  try {
    const { db, cache, caller, callerRedisOnly } = await setUpBench(env.users, cleanup, progress);
    const sets = idSets(SETS, IDS, env.users, IDS * 7919);
    const settings = { ttlSeconds: 900, negativeTtlSeconds: 30 };
    const store = createUserStore(db.prisma, cache, { ...settings, l1: false });
    const storeL1 = createUserStore(db.prisma, cache, { ...settings, l1: true });
    const redis = cache.redis;
    if (!redis) throw new Error('the ledger needs Redis (REDIS_URL)');
    const keysOf = (ids: bigint[], wallets: boolean) =>
      ids.flatMap((id) =>
        wallets ? [cache.key('user', id), cache.key('wallets', id)] : [cache.key('user', id)],
      );
    // The bookkeeping keys getManyOrLoad reads beside the entries (not for key()): the epoch,
    // and the namespace's bucket versions.
    const headOf = (namespace: string) => cache.key(namespace, 'x').slice(0, -2);
    const epochOf = (namespace: string) => `${headOf(namespace)}:~epoch`;
    const versionsOf = (namespace: string) => `${headOf(namespace)}:~v`;
    const noLoad = async () => new Map<string, unknown>();
    const layers = (wallets: boolean): Record<string, Call> => ({
      'getUsers, in-process tRPC caller (default: validated L1)': (ids) =>
        caller.getUsers({ ids, include: { wallets } }),
      'user store getMany, validated L1 (no tRPC)': (ids) => storeL1.getMany(ids, { wallets }),
      'cache getManyOrLoad, validated L1': (ids) =>
        cache.getManyOrLoad(keysOf(ids, wallets), noLoad, { ttl: 900, l1: true }),
      "one pipelined MGET of the versions per namespace (the L1's round trip alone)": () => {
        const pipeline = redis.pipeline();
        pipeline.mget(versionsOf('user'), epochOf('user'));
        if (wallets) pipeline.mget(versionsOf('wallets'), epochOf('wallets'));
        return pipeline.exec();
      },
      'getUsers, in-process tRPC caller, L1 off (Redis path)': (ids) =>
        callerRedisOnly.getUsers({ ids, include: { wallets } }),
      'user store getMany, L1 off (no tRPC)': (ids) => store.getMany(ids, { wallets }),
      'cache getManyOrLoad in a stats scope': (ids) =>
        withRequestStats(() => cache.getManyOrLoad(keysOf(ids, wallets), noLoad, { ttl: 900 })),
      'cache getManyOrLoad': (ids) => cache.getManyOrLoad(keysOf(ids, wallets), noLoad, { ttl: 900 }),
      'one pipelined MGET per namespace (the round trip alone)': (ids) => {
        const pipeline = redis.pipeline();
        pipeline.mget(...ids.map((id) => cache.key('user', id)), epochOf('user'));
        if (wallets) pipeline.mget(...ids.map((id) => cache.key('wallets', id)), epochOf('wallets'));
        return pipeline.exec();
      },
    });
    const cases: SuiteCase[] = [];
    for (const wallets of [false, true]) {
      // Twice where an L1 reads: the first read gives the buckets versions, the L1 fills from the second.
      for (let pass = 0; pass < 2; pass++) {
        for (const ids of sets) {
          await caller.getUsers({ ids, include: { wallets } });
          await storeL1.getMany(ids, { wallets });
        }
      }
      for (const ids of sets) await callerRedisOnly.getUsers({ ids, include: { wallets } });
      const named = layers(wallets);
      const baseline: number[] = [];
      const runs = new Map<string, number[]>(Object.keys(named).map((name) => [name, []]));
      for (let round = 1; round <= env.runs; round++) {
        progress(`run ${round}/${env.runs}: ${wallets ? 'with wallets' : 'users only'}`);
        const all = { [BASELINE]: dataLoaderOnly(db.prisma, { wallets }), ...named };
        const medians = await timedTogether(all, sets, env.caseMs * Object.keys(all).length);
        baseline.push(medians.get(BASELINE) as number);
        for (const name of Object.keys(named)) runs.get(name)?.push(medians.get(name) as number);
      }
      for (const [name, valueRuns] of runs) {
        cases.push({
          name: `${IDS} ids${wallets ? ' with wallets' : ''}: ${name}`,
          metric: 'ms/call',
          better: 'lower',
          baselineRuns: baseline.map(round3),
          valueRuns: valueRuns.map(round3),
          errors: 0,
          notes:
            `baseline: DataLoader + 1 SQL${wallets ? ' (wallets joined)' : ''} for the same ids; warm: every list read ` +
            `before timing; ${env.users.toLocaleString('en-US')} users; per run every row and the baseline in turn, ` +
            `${BLOCK} calls at a time (one in flight), for ${env.caseMs} ms per row; median ms per call; ` +
            'OpenTelemetry not started (spans are no-ops)',
          extra: { ratioVsDataLoader: Math.round((median(baseline) / median(valueRuns)) * 100) / 100 },
        });
      }
    }
    return { cases };
  } finally {
    for (const undo of cleanup.reverse()) await undo();
  }
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

const BASELINE = 'DataLoader + 1 SQL';

/** Calls of one row before the next row's turn. */
const BLOCK = 25;

/**
 * Median ms per call of each of `calls` over `budgetMs` in all: a short block of calls of
 * each in turn (the order rotating), so a change in the machine's load lands on every row
 * alike and the difference between two rows is the layer between them, not the minute each
 * ran in. Blocks rather than single calls: call by call, the garbage of the heavy rows
 * (Prisma's) is collected during the light ones and inflates them.
 */
async function timedTogether(
  calls: Record<string, Call>,
  sets: bigint[][],
  budgetMs: number,
): Promise<Map<string, number>> {
  const entries = Object.entries(calls);
  const times = new Map<string, number[]>(entries.map(([name]) => [name, []]));
  const started = performance.now();
  for (let i = 0; i < 3 || performance.now() - started < budgetMs; i++) {
    for (let turn = 0; turn < entries.length; turn++) {
      const [name, call] = entries[(i + turn) % entries.length] as [string, Call];
      for (let n = 0; n < BLOCK; n++) {
        const t0 = performance.now();
        await call(sets[(i * BLOCK + n) % sets.length] as bigint[]);
        times.get(name)?.push(performance.now() - t0);
      }
    }
  }
  return new Map([...times].map(([name, list]) => [name, median(list)]));
}
