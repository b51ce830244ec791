import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@mesh/telemetry';
import { createJobQueue } from '../src/jobs/job-queue.js';

/** Each job waits this long, as for one Bot API call. */
export const JOB_IO_MS = 5;

/**
 * Jobs per second through one queue and worker: `count` `bot.notify` jobs queued, timed
 * until the last one completed.
 */
export async function jobsPerSecond(options: {
  redisUrl: string;
  prefix: string;
  concurrency: number;
  count: number;
  logger: Logger;
}): Promise<number> {
  let completed = 0;
  let finish: () => void = () => {};
  const allDone = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const jobs = createJobQueue({
    redisUrl: options.redisUrl,
    prefix: options.prefix,
    concurrency: options.concurrency,
    logger: options.logger,
    handlers: {
      'bot.notify': async () => {
        await sleep(JOB_IO_MS);
        completed += 1;
        if (completed === options.count) finish();
      },
    },
  });
  try {
    const t0 = performance.now();
    for (let i = 0; i < options.count; i++) await jobs.add('bot.notify', { i });
    await allDone;
    return options.count / ((performance.now() - t0) / 1000);
  } finally {
    await jobs.close();
  }
}
