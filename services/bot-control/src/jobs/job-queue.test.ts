import { randomUUID } from 'node:crypto';
import { createLogger } from '@mesh/telemetry';
import { testEnv } from '@mesh/testing';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { JOB_PRIORITIES } from './job-priorities.js';
import { createJobQueue, type JobQueue } from './job-queue.js';

const logger = createLogger({ name: 'jobs-test', level: 'silent' });
const prefixes: string[] = [];
const queues: JobQueue[] = [];

/** A key prefix of this test's own, removed afterwards. */
function newPrefix() {
  const prefix = `test:bot-control-jobs:${randomUUID()}`;
  prefixes.push(prefix);
  return prefix;
}

afterAll(async () => {
  await Promise.all(queues.map((queue) => queue.close()));
  const redis = new Redis(testEnv.REDIS_URL);
  for (const prefix of prefixes) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  }
  await redis.quit();
});

function open(options: Omit<Parameters<typeof createJobQueue>[0], 'redisUrl' | 'logger'>) {
  const queue = createJobQueue({ redisUrl: testEnv.REDIS_URL, logger, ...options });
  queues.push(queue);
  return queue;
}

describe('job queue', () => {
  it('runs waiting jobs by priority: critical, then normal, then very low', async () => {
    const prefix = newPrefix();
    const producer = open({ prefix, concurrency: 1, handlers: {}, work: false });
    await producer.add('analytics.rollup', { n: 1 });
    await producer.add('escrow.sync', { n: 2 });
    await producer.add('telegram.callback', { n: 3 });
    const order: string[] = [];
    const handle = async (_data: unknown, job: { name: string }) => void order.push(job.name);
    open({
      prefix,
      concurrency: 1,
      handlers: { 'analytics.rollup': handle, 'escrow.sync': handle, 'telegram.callback': handle },
    });
    await vi.waitFor(() => expect(order).toHaveLength(3), { timeout: 10_000, interval: 50 });
    expect(order).toEqual(['telegram.callback', 'escrow.sync', 'analytics.rollup']);
  });

  it('retries a failing critical job with 2 s exponential backoff and lands it in failed after 3 attempts', async () => {
    const registry = new Registry();
    const startedAt: number[] = [];
    const jobs = open({
      prefix: newPrefix(),
      concurrency: 1,
      registry,
      handlers: {
        'telegram.callback': async () => {
          startedAt.push(Date.now());
          throw new Error('Bot API unreachable');
        },
      },
    });
    const id = await jobs.add('telegram.callback', { update: 1 });
    const job = await jobs.queue.getJob(id);
    expect(job?.opts).toMatchObject({
      priority: JOB_PRIORITIES.critical.priority,
      attempts: 3,
      backoff: { type: 'exponential', delay: 2000 },
    });
    await vi.waitFor(async () => expect(await jobs.queue.getJobState(id)).toBe('failed'), {
      timeout: 20_000,
      interval: 200,
    });
    expect(startedAt).toHaveLength(3);
    // Exponential backoff's lower bounds (2 s, then 4 s): a retry is never earlier than its delay.
    expect((startedAt[1] ?? 0) - (startedAt[0] ?? 0)).toBeGreaterThanOrEqual(2000);
    expect((startedAt[2] ?? 0) - (startedAt[1] ?? 0)).toBeGreaterThanOrEqual(4000);
    const stats = await jobs.stats();
    expect(stats.find((entry) => entry.type === 'telegram.callback')).toEqual({
      type: 'telegram.callback',
      completed: 0,
      failed: 1,
      retried: 2,
      active: 0,
    });
    const metrics = await registry.metrics();
    expect(metrics).toContain('bot_control_jobs_total{type="telegram.callback",outcome="failed"} 1');
    expect(metrics).toContain('bot_control_jobs_total{type="telegram.callback",outcome="retried"} 2');
  }, 30_000);

  it('gives every job type the attempts and backoff of its priority', async () => {
    const jobs = open({ prefix: newPrefix(), concurrency: 1, handlers: {}, work: false });
    const expected = {
      'telegram.callback': [3, 2000],
      'bot.notify': [5, 5000],
      'escrow.sync': [5, 10000],
      'bot.health': [10, 15000],
      'analytics.rollup': [15, 30000],
    } as const;
    for (const [type, [attempts, delay]] of Object.entries(expected)) {
      const job = await jobs.queue.getJob(await jobs.add(type as keyof typeof expected, {}));
      expect(job?.opts).toMatchObject({ attempts, backoff: { type: 'exponential', delay } });
    }
  });
});
