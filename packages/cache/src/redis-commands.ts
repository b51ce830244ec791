import { recordStat } from '@mesh/telemetry';
import { type ChainableCommander, Cluster, type Redis } from 'ioredis';
import type { RedisClient } from './create-redis.js';
import { BUMP_EPOCH, HIT_WINDOWS, READ_OR_LOCK, TOMBSTONE, UNLOCK, WRITE } from './redis-scripts.js';

/** Keys removed per UNLINK while invalidating. */
const UNLINK_BATCH = 500;
/** Keys SCAN looks at per call (a hint to Redis, not a limit). */
export const SCAN_COUNT = 1000;

/** The cache's Lua scripts, as ioredis commands of the client. */
export interface Scripts {
  meshReadOrLock(...args: Array<string | number>): Promise<[string, string, number, string]>;
  meshWrite(...args: Array<string | number>): Promise<number>;
  meshTombstone(...args: Array<string | number>): Promise<number>;
  meshUnlock(...args: string[]): Promise<number>;
  meshBumpEpoch(...args: Array<string | number>): Promise<number>;
  meshHitWindows(...args: Array<string | number>): Promise<number[]>;
}
export type ScriptedPipeline = ChainableCommander & {
  [K in keyof Scripts]: (...args: Parameters<Scripts[K]>) => ScriptedPipeline;
};
/** Queues the commands of one namespace on a pipeline. */
export type Build = (pipeline: ScriptedPipeline) => void;

/**
 * How the Redis store talks to Redis: every round trip goes through here, so each is counted
 * (`redisRoundTrips`) and the single-node and cluster cases differ in this file only.
 */
export interface RedisCommands {
  client: RedisClient;
  scripted: RedisClient & Scripts;
  cluster: boolean;
  /** One round trip on a single Redis; one pipeline per namespace (in parallel) on a cluster. */
  pipelines(builds: readonly Build[]): Promise<unknown[]>;
  /** One command, counted. */
  call<T>(command: () => Promise<T>): Promise<T>;
  /** Every key matching `pattern`, a SCAN batch at a time, on every master of a cluster. */
  scan(pattern: string): AsyncGenerator<string[]>;
  /** UNLINKs keys in batches; answers how many were there to remove (a tag set can name expired keys). */
  unlinkAll(found: readonly string[]): Promise<number>;
}

/** Registers the scripts on `client` and wraps it. */
export function createRedisCommands(client: RedisClient): RedisCommands {
  client.defineCommand('meshReadOrLock', { numberOfKeys: 4, lua: READ_OR_LOCK });
  client.defineCommand('meshWrite', { lua: WRITE });
  client.defineCommand('meshTombstone', { lua: TOMBSTONE });
  client.defineCommand('meshUnlock', { numberOfKeys: 1, lua: UNLOCK });
  client.defineCommand('meshBumpEpoch', { numberOfKeys: 1, lua: BUMP_EPOCH });
  client.defineCommand('meshHitWindows', { lua: HIT_WINDOWS });
  const cluster = client instanceof Cluster;

  async function pipelines(builds: readonly Build[]): Promise<unknown[]> {
    const batches = cluster ? builds.map((build) => [build]) : [builds];
    const results = await Promise.all(
      batches.map(async (batch) => {
        const pipeline = client.pipeline() as ScriptedPipeline;
        for (const build of batch) build(pipeline);
        recordStat('redisRoundTrips');
        return (await pipeline.exec()) ?? [];
      }),
    );
    return results.flat().map(([error, value]) => {
      if (error) throw error;
      return value;
    });
  }

  async function call<T>(command: () => Promise<T>): Promise<T> {
    recordStat('redisRoundTrips');
    return command();
  }

  async function* scan(pattern: string): AsyncGenerator<string[]> {
    const nodes: Redis[] = client instanceof Cluster ? client.nodes('master') : [client];
    for (const node of nodes) {
      for await (const batch of node.scanStream({ match: pattern, count: SCAN_COUNT })) {
        recordStat('redisRoundTrips');
        yield batch as string[];
      }
    }
  }

  async function unlinkAll(found: readonly string[]): Promise<number> {
    let removed = 0;
    for (let start = 0; start < found.length; start += UNLINK_BATCH) {
      const batch = found.slice(start, start + UNLINK_BATCH);
      // On a cluster a batch can mix slots (clear()); one UNLINK per key keeps it legal.
      if (cluster) {
        const counts = await Promise.all(batch.map((key) => call(() => client.unlink(key))));
        removed += counts.reduce((sum, count) => sum + count, 0);
      } else {
        removed += await call(() => client.unlink(...batch));
      }
    }
    return removed;
  }

  return { client, scripted: client as RedisClient & Scripts, cluster, pipelines, call, scan, unlinkAll };
}
