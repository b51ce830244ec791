import { setUpBench } from './bench-setup.js';
import { readBenchEnv } from './env.js';
import { type Measured, measure } from './measure.js';
import { idSets } from './seed-users.js';
import { dataLoaderOnly, findUniqueLoop } from './sides.js';
import { type SideRuns, userCacheCases } from './user-cache-cases.js';

const SIZES = [1, 10, 100, 1000] as const;
/** Distinct id lists cycled through per size, so no side reads one list over and over. */
const SETS_PER_SIZE = 8;

export interface RunOptions {
  progress?: (line: string) => void;
}

/**
 * The user-cache suite: getting n users by id (n = 1, 10, 100, 1,000) the old way (a
 * findUnique per id in sequence), with DataLoader batching and no Redis, and through the
 * service (getUsers, cold and warm with its default settings, the validated L1; warm also on
 * a second instance with the L1 off, the Redis path), all in one process against the same
 * database.
 */
export async function run({ progress = () => {} }: RunOptions = {}) {
  const env = readBenchEnv();
  // Undone in reverse order whatever fails, so a failed run leaves no database or keys behind.
  const cleanup: Array<() => Promise<unknown>> = [];
  try {
    const { db, cache, caller, callerRedisOnly } = await setUpBench(env.users, cleanup, progress);
    const sides: Sides = {
      baseline: findUniqueLoop(db.prisma),
      dataloader: dataLoaderOnly(db.prisma),
      cold: (ids) => caller.getUsers({ ids }),
      warm: (ids) => caller.getUsers({ ids }),
      warmRedis: (ids) => callerRedisOnly.getUsers({ ids }),
    };
    // Twice on the default instance: a read that finds a bucket without a version gives it
    // one, and its L1 fills from the next read.
    const warmUp = async (sets: bigint[][]) => {
      for (let pass = 0; pass < 2; pass++) for (const ids of sets) await caller.getUsers({ ids });
      for (const ids of sets) await callerRedisOnly.getUsers({ ids });
    };
    const results = await measureSizes({
      env,
      sides,
      warmUp,
      empty: () => cache.invalidateNamespace('user'),
      progress,
    });
    return { cases: userCacheCases(results, env) };
  } finally {
    for (const undo of cleanup.reverse()) await undo();
  }
}

type Side = keyof SideRuns;
type Sides = Record<Side, (ids: bigint[]) => Promise<ReadonlyArray<{ id: bigint } | null>>>;

interface MeasureSizesOptions {
  env: ReturnType<typeof readBenchEnv>;
  sides: Sides;
  /** Reads every list through the service, so its users are in Redis and the default instance's L1. */
  warmUp(sets: bigint[][]): Promise<void>;
  /** Empties the users namespace (for a cold call). */
  empty(): Promise<unknown>;
  progress(line: string): void;
}

/** Every side for every size, `runs` times, sides interleaved and their order reversed every other run. */
async function measureSizes({ env, sides, warmUp, empty, progress }: MeasureSizesOptions) {
  const results = new Map<number, SideRuns>();
  for (let round = 1; round <= env.runs; round++) {
    for (const size of SIZES) {
      const sets = idSets(SETS_PER_SIZE, size, env.users, size * 7919);
      const runs = results.get(size) ?? { baseline: [], dataloader: [], cold: [], warm: [], warmRedis: [] };
      results.set(size, runs);
      await warmUp(sets);
      const order: Side[] = ['baseline', 'dataloader', 'cold', 'warm', 'warmRedis'];
      if (round % 2 === 0) order.reverse();
      for (const side of order) {
        progress(`run ${round}/${env.runs}: ${size} ids, ${side}`);
        const measured: Measured = await measure({
          call: sides[side],
          idSets: sets,
          budgetMs: env.caseMs,
          // Cold: the users namespace emptied (untimed) before every call.
          before: side === 'cold' ? empty : undefined,
        });
        runs[side].push(measured);
        if (side === 'cold') await warmUp(sets);
      }
    }
  }
  return results;
}
