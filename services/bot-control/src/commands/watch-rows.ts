import type { ChangeListener } from './change-listener.js';

export interface WatchRowsOptions<TRow extends { seq: bigint }> {
  listener: ChangeListener;
  channel: string;
  botId: string;
  /** Rows with a seq above this one are delivered (0n: from the first). */
  after: bigint;
  /** The bot's rows with `seq > after`, in seq order. */
  read(after: bigint): Promise<TRow[]>;
  backstopMs: number;
  /** `read` returns at most this many rows; a full page is followed by another read at once. */
  pageSize: number;
  signal?: AbortSignal;
}

/**
 * A bot's rows in seq order, live: read, then wait for a wake-up (NOTIFY, a listener
 * reconnect, or the backstop timer) and read again from the last seq delivered. The wake-up
 * is registered before the first read, so a row committed meanwhile is never missed.
 */
export async function* watchRows<TRow extends { seq: bigint }>(
  options: WatchRowsOptions<TRow>,
): AsyncGenerator<TRow> {
  const { listener, channel, botId, signal, backstopMs } = options;
  let after = options.after;
  let dirty = true;
  let wakeUp: (() => void) | undefined;
  const wake = () => {
    dirty = true;
    wakeUp?.();
  };
  const unwatch = listener.watch(channel, botId, wake);
  signal?.addEventListener('abort', wake);
  try {
    while (!signal?.aborted) {
      if (!dirty) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(wake, backstopMs);
          wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
          if (dirty) wakeUp();
        });
        wakeUp = undefined;
        continue;
      }
      // Clear the flag before reading: a wake-up that lands while the read is in flight must
      // survive it (clearing after the read lost such a NOTIFY, and with it the row, until the
      // backstop read).
      dirty = false;
      const rows = await options.read(after);
      if (rows.length >= options.pageSize) dirty = true;
      for (const row of rows) {
        if (signal?.aborted) return;
        after = row.seq;
        yield row;
      }
    }
  } finally {
    unwatch();
    signal?.removeEventListener('abort', wake);
  }
}
