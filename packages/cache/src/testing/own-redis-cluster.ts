import { type ChildProcess, execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort, killChildren, RedisExitedEarly, spawnRedisServer } from './own-redis.js';

const run = promisify(execFile);

/** A three-master Redis Cluster of a test's own (redis-server and redis-cli from the PATH). */
export interface OwnRedisCluster extends AsyncDisposable {
  /** `host:port` of every node, as REDIS_CLUSTER_NODES takes them. */
  nodes: string[];
  stop(): Promise<void>;
}

async function clusterOk(port: number): Promise<boolean> {
  const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return String(await probe.call('CLUSTER', 'INFO')).includes('cluster_state:ok');
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/**
 * Starts one cluster-enabled node on a free port and waits until it answers. A port can be taken
 * between being found free and being bound, so a node that exits before it answers is retried on
 * new ports.
 */
async function startNode(dir: string, children: ChildProcess[]): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const busPort = await freePort();
    const args = ['--cluster-port', String(busPort), '--bind', '127.0.0.1'];
    args.push('--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`);
    args.push('--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning');
    try {
      await spawnRedisServer(port, args, children);
      return port;
    } catch (error) {
      if (!(error instanceof RedisExitedEarly) || attempt >= 3) throw error;
    }
  }
}

export async function startOwnRedisCluster(): Promise<OwnRedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'mesh-redis-cluster-'));
  const children: ChildProcess[] = [];
  const stop = async () => {
    await killChildren(children);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const ports: number[] = [];
    for (let i = 0; i < 3; i++) ports.push(await startNode(dir, children));
    const nodes = ports.map((port) => `127.0.0.1:${port}`);
    await run('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes']);
    for (let attempt = 0; !(await Promise.all(ports.map(clusterOk))).every(Boolean); attempt++) {
      if (attempt > 200) throw new Error('the Redis Cluster did not become ok');
      await sleep(50);
    }
    return { nodes, stop, [Symbol.asyncDispose]: stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
