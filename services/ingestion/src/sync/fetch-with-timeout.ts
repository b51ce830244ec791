import { MeshError } from '@mesh/kit';
import { errors } from '../errors.js';
import type { MessageSource, SourceChannel, SourceMessage } from '../sources/message-source.js';

/**
 * The source's answer for one channel, or INGEST_SOURCE_TIMEOUT after `timeoutMs` (the source
 * is told through its signal; one that ignores it is simply no longer waited for). Any other
 * failure becomes INGEST_SOURCE_FAILED, with the cause kept for the log.
 */
export async function fetchWithTimeout(
  source: MessageSource,
  channel: SourceChannel,
  options: { limit: number; minId: bigint; timeoutMs: number },
): Promise<SourceMessage[]> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = errors.create('INGEST_SOURCE_TIMEOUT', { detail: `after ${options.timeoutMs} ms` });
      controller.abort(error);
      reject(error);
    }, options.timeoutMs);
  });
  try {
    const fetching = source.getMessages(channel, { ...options, signal: controller.signal });
    return await Promise.race([fetching, timedOut]);
  } catch (error) {
    if (error instanceof MeshError) throw error;
    throw errors.create('INGEST_SOURCE_FAILED', { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

/** Keeps what a sync may store: ids after `minId`, each once, in ascending order, at most `limit`. */
export function sanitizeFetched(
  messages: readonly SourceMessage[],
  minId: bigint,
  limit: number,
): SourceMessage[] {
  const byId = new Map<bigint, SourceMessage>();
  for (const message of messages)
    if (message.id > minId && !byId.has(message.id)) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(0, limit);
}
