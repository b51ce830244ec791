import { procedure } from '@mesh/kit';
import { z } from 'zod';
import { errors } from '../errors.js';
import type { SessionStore } from './session-store.js';

/** Storing the Telegram session the MTProto source logs in with (it is read at start-up). */
export function createSessionsProcedures({ sessions }: { sessions: SessionStore | undefined }) {
  return {
    /**
     * Encrypts and stores a GramJS StringSession under `name` (replacing one stored before).
     * The MTProto source picks it up when the service next starts. Budget: 1 query.
     */
    saveTelegramSession: procedure
      .input(
        z.object({
          name: z.string().trim().min(1).max(64).default('default'),
          session: z.string().min(16).max(4096),
        }),
      )
      .mutation(({ input }) => {
        if (!sessions) throw errors.create('INGEST_SESSION_KEY_MISSING');
        return sessions.save(input.name, input.session);
      }),
  };
}
