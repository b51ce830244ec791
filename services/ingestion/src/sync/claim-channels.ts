import type pg from 'pg';
import { lockKeySql } from './lock-key.js';

/** A channel of the run: its last stored id, and whether this run holds its lock. */
export interface ClaimedChannel {
  id: bigint;
  username: string;
  lastMessageId: bigint | null;
  locked: boolean;
}

export interface ChannelClaim {
  channels: ClaimedChannel[];
  /** Gives every lock back; always call it, once. */
  release(): Promise<void>;
}

/**
 * One round trip for every channel of the run: the last stored message id (an index probe per
 * channel, not a scan: `max() ... GROUP BY` would read every row of each channel) and a try of
 * the channel's session-level advisory lock.
 */
const CLAIM_SQL = `
SELECT c.id::text AS id, c.username, last.message_id::text AS last_message_id,
       pg_try_advisory_lock(${lockKeySql('c.id')}) AS locked
FROM channels c
LEFT JOIN LATERAL (
  SELECT m.message_id FROM messages m WHERE m.channel_id = c.id ORDER BY m.message_id DESC LIMIT 1
) last ON true
WHERE c.active AND ($1::bigint[] IS NULL OR c.id = ANY($1::bigint[]))
ORDER BY c.id`;

interface ClaimRow {
  id: string;
  username: string;
  last_message_id: string | null;
  locked: boolean;
}

/**
 * Reads the run's channels and takes their locks on one connection pinned for the whole run.
 *
 * Session-level locks belong to a connection, not to the code that took them. So the run keeps
 * this connection out of the pool until `release()` has run `pg_advisory_unlock_all()` on it;
 * if that fails, the connection is destroyed instead of returned (a pooled connection still
 * holding locks would leak them, and hand them to whoever borrows it next: session locks are
 * re-entrant). If the process dies, Postgres ends the session and drops the locks with it.
 */
export async function claimChannels(
  pool: pg.Pool,
  ids: readonly bigint[] | undefined,
): Promise<ChannelClaim> {
  const client = await pool.connect();
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    try {
      await client.query('SELECT pg_advisory_unlock_all()');
      client.release();
    } catch (error) {
      client.release(error instanceof Error ? error : new Error(String(error)));
    }
  };
  try {
    const { rows } = await client.query<ClaimRow>(CLAIM_SQL, [ids ? ids.map(String) : null]);
    const channels = rows.map((row) => ({
      id: BigInt(row.id),
      username: row.username,
      lastMessageId: row.last_message_id === null ? null : BigInt(row.last_message_id),
      locked: row.locked,
    }));
    return { channels, release };
  } catch (error) {
    await release();
    throw error;
  }
}
