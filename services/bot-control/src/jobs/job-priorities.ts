/**
 * Five priorities, as the distribution back end ran its queues: BullMQ runs lower numbers first; each retries with exponential
 * backoff (`base * 2^(attempt-1)`) up to its attempts, then the job lands in failed.
 */
export const JOB_PRIORITIES = {
  critical: { priority: 1, attempts: 3, backoffMs: 2_000 },
  high: { priority: 2, attempts: 5, backoffMs: 5_000 },
  normal: { priority: 3, attempts: 5, backoffMs: 10_000 },
  low: { priority: 4, attempts: 10, backoffMs: 15_000 },
  veryLow: { priority: 5, attempts: 15, backoffMs: 30_000 },
} as const;

export type JobPriority = keyof typeof JOB_PRIORITIES;

/** Every job type bot-control runs, with its priority: user-facing first, housekeeping last. */
export const JOB_TYPES = {
  /** A button press already answered; the work behind it. */
  'telegram.callback': 'critical',
  /** A message to a user about their bot or deal. */
  'bot.notify': 'high',
  /** Bulk escrow maintenance, in batches. */
  'escrow.sync': 'normal',
  'bot.health': 'low',
  'analytics.rollup': 'veryLow',
} as const satisfies Record<string, JobPriority>;

export type JobType = keyof typeof JOB_TYPES;

/** BullMQ options for a job type: its priority, attempts and exponential backoff. */
export function jobOptions(type: JobType) {
  const { priority, attempts, backoffMs } = JOB_PRIORITIES[JOB_TYPES[type]];
  return {
    priority,
    attempts,
    backoff: { type: 'exponential' as const, delay: backoffMs },
    removeOnComplete: { count: 1000 },
    removeOnFail: { count: 5000 },
  };
}
