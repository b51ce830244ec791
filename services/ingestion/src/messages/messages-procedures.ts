import { procedure } from '@mesh/kit';
import type pg from 'pg';
import { z } from 'zod';
import { channelId } from '../sync/sync-input.js';
import { listMessages } from './list-messages.js';

/** Reading stored channel posts. */
export function createMessagesProcedures({ pool }: { pool: pg.Pool }) {
  return {
    /** A channel's messages, newest first, a page at a time (opaque cursor). Budget: 1 query. */
    listMessages: procedure
      .input(
        z.object({
          channelId,
          cursor: z.string().min(1).max(200).optional(),
          limit: z.number().int().min(1).max(100).default(50),
        }),
      )
      .query(({ input }) => listMessages(pool, input)),
  };
}
