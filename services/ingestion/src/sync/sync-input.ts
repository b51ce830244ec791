import { z } from 'zod';

/** Telegram channel ids: Bot API ones are negative (-100...), MTProto ones positive; never 0. */
export const channelId = z.bigint().refine((id) => id !== 0n, 'must not be 0');

/** syncMessages' input, shared by the procedure and the HTTP route (which coerces first). */
export const syncInput = z.object({
  /** Channels to sync; every active channel when absent. Unknown ids refuse the whole call. */
  channels: z.array(channelId).min(1).max(500).optional(),
  /** Messages fetched per channel at most. */
  limit: z.number().int().min(1).max(10_000).default(500),
  /** Channels fetched at once. */
  concurrency: z.number().int().min(1).max(16).default(3),
  /** Pick the run's id to watch it with onSyncProgress before starting it. */
  runId: z.uuid().optional(),
  /** Who asked, for the run record: `cli`, `cron`... */
  triggeredBy: z.string().trim().min(1).max(64).optional(),
});

export type SyncInput = z.output<typeof syncInput>;
