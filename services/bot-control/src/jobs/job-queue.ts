import type { Logger } from '@mesh/telemetry';
import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { Counter, Gauge, type Registry } from 'prom-client';
import { JOB_TYPES, type JobType, jobOptions } from './job-priorities.js';

export type JobHandler = (data: unknown, job: Job) => Promise<unknown>;
export type JobHandlers = Partial<Record<JobType, JobHandler>>;

export interface JobTypeStats {
  type: JobType;
  completed: number;
  failed: number;
  retried: number;
  active: number;
}

export interface JobQueue {
  /** Queues a job with its type's priority, attempts and backoff; `jobId` makes it idempotent. */
  add(type: JobType, data: unknown, options?: { jobId?: string }): Promise<string>;
  /** Counts per job type across every replica (Redis), `active` included. */
  stats(): Promise<JobTypeStats[]>;
  queue: Queue;
  close(): Promise<void>;
}

export interface CreateJobQueueOptions {
  redisUrl: string;
  /** BullMQ key prefix; the stats hash lives beside the queue. */
  prefix: string;
  concurrency: number;
  handlers: JobHandlers;
  logger: Logger;
  registry?: Registry;
  /** false: only producing (a process that must not run jobs). */
  work?: boolean;
}

const QUEUE_NAME = 'bot-control';

/** One BullMQ queue for every job type, a worker running `handlers`, and per-type counters. */
export function createJobQueue(options: CreateJobQueueOptions): JobQueue {
  const { prefix, logger, handlers } = options;
  // BullMQ needs connections that wait for Redis rather than fail a blocking command.
  const connect = () => new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const producer = connect();
  const queue = new Queue(QUEUE_NAME, { connection: producer, prefix });
  const statsKey = `${prefix}:${QUEUE_NAME}:stats`;
  const counted = (type: string, field: string, by: number) =>
    producer.hincrby(statsKey, `${type}:${field}`, by);
  const finished = options.registry
    ? new Counter({
        name: 'bot_control_jobs_total',
        help: 'Jobs finished by type and outcome (completed, failed after all attempts, retried)',
        labelNames: ['type', 'outcome'] as const,
        registers: [options.registry],
      })
    : undefined;
  const active = options.registry
    ? new Gauge({
        name: 'bot_control_jobs_active',
        help: 'Jobs running in this process by type',
        labelNames: ['type'] as const,
        registers: [options.registry],
      })
    : undefined;

  const run = async (job: Job) => {
    const type = job.name as JobType;
    const handler = handlers[type];
    if (!handler) throw new Error(`no handler for job type ${job.name}`);
    active?.inc({ type });
    await counted(type, 'active', 1);
    try {
      const result = await handler(job.data, job);
      finished?.inc({ type, outcome: 'completed' });
      await counted(type, 'completed', 1);
      return result;
    } catch (error) {
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      finished?.inc({ type, outcome: last ? 'failed' : 'retried' });
      await counted(type, last ? 'failed' : 'retried', 1);
      logger.warn({ err: error, jobType: type, jobId: job.id, attempt: job.attemptsMade + 1 }, 'job failed');
      throw error;
    } finally {
      active?.dec({ type });
      await counted(type, 'active', -1);
    }
  };
  const workerConnection = options.work === false ? undefined : connect();
  const worker = workerConnection
    ? new Worker(QUEUE_NAME, run, { connection: workerConnection, prefix, concurrency: options.concurrency })
    : undefined;
  worker?.on('error', (error) => logger.error({ err: error }, 'job worker error'));

  return {
    queue,
    async add(type, data, addOptions = {}) {
      const job = await queue.add(type, data, { ...jobOptions(type), jobId: addOptions.jobId });
      return job.id ?? '';
    },
    async stats() {
      const hash = await producer.hgetall(statsKey);
      return (Object.keys(JOB_TYPES) as JobType[]).map((type) => ({
        type,
        completed: Number(hash[`${type}:completed`] ?? 0),
        failed: Number(hash[`${type}:failed`] ?? 0),
        retried: Number(hash[`${type}:retried`] ?? 0),
        active: Number(hash[`${type}:active`] ?? 0),
      }));
    },
    async close() {
      await worker?.close();
      await queue.close();
      await Promise.all([producer.quit().catch(() => {}), workerConnection?.quit().catch(() => {})]);
    },
  };
}
