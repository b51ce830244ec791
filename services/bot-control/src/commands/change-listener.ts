import { EventEmitter } from 'node:events';
import type { Logger } from '@mesh/telemetry';
import pg from 'pg';

export interface ChangeListenerOptions {
  connectionString: string;
  /** Channels to LISTEN on; a notification's payload names the bot whose rows changed. */
  channels: readonly string[];
  logger: Logger;
  retryMs: number;
  retryMaxMs: number;
}

export interface ChangeListener {
  /** Resolves once LISTEN is active on every channel (again, after a reconnect). */
  ready(): Promise<void>;
  /**
   * Calls `wake` on a notification for `botId` on `channel`, and on every reconnect (a
   * notification may have been lost while the connection was down). Returns the unsubscribe.
   */
  watch(channel: string, botId: string, wake: () => void): () => void;
  /** The backend pid of the current LISTEN connection (tests kill it), or null while down. */
  backendPid(): number | null;
  close(): Promise<void>;
}

const RECONNECTED = Symbol('reconnected');

/**
 * LISTEN on one dedicated connection, outside the pool: a pooled connection goes back to the
 * pool and would drop its LISTEN. NOTIFY is only a wake-up; readers read rows from the table.
 * The connection reconnects by itself with capped exponential backoff.
 */
export function createChangeListener(options: ChangeListenerOptions): ChangeListener {
  const { logger } = options;
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let client: pg.Client | null = null;
  let pid: number | null = null;
  let closed = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let readyPromise: Promise<void>;
  let resolveReady: () => void = () => {};
  const resetReady = () => {
    readyPromise = new Promise((resolve) => {
      resolveReady = resolve;
    });
  };
  resetReady();

  const scheduleReconnect = () => {
    if (closed || timer) return;
    const delay = Math.min(options.retryMs * 2 ** failures, options.retryMaxMs);
    failures += 1;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, delay);
  };

  const lost = (current: pg.Client) => {
    if (client !== current) return;
    client = null;
    pid = null;
    resetReady();
    current.removeAllListeners('notification');
    void current.end().catch(() => {});
    scheduleReconnect();
  };

  const connect = async () => {
    const next = new pg.Client({
      connectionString: options.connectionString,
      application_name: 'bot-control-listener',
    });
    client = next;
    next.on('error', (error) => {
      logger.warn({ err: error }, 'command listener connection lost; reconnecting');
      lost(next);
    });
    next.on('end', () => lost(next));
    next.on('notification', (message) => {
      if (message.payload) emitter.emit(`${message.channel}:${message.payload}`);
    });
    try {
      await next.connect();
      for (const channel of options.channels) await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      const result = await next.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      if (client !== next || closed) return;
      pid = result.rows[0]?.pid ?? null;
      failures = 0;
      resolveReady();
      emitter.emit(RECONNECTED);
    } catch (error) {
      logger.warn({ err: error }, 'command listener could not LISTEN; retrying');
      lost(next);
    }
  };
  void connect();

  return {
    ready: () => readyPromise,
    watch(channel, botId, wake) {
      const event = `${channel}:${botId}`;
      emitter.on(event, wake);
      emitter.on(RECONNECTED, wake);
      return () => {
        emitter.off(event, wake);
        emitter.off(RECONNECTED, wake);
      };
    },
    backendPid: () => pid,
    async close() {
      closed = true;
      clearTimeout(timer);
      const current = client;
      client = null;
      resolveReady();
      await current?.end().catch(() => {});
    },
  };
}
