import type { Logger } from '@mesh/telemetry';
import type { IngestionEnv } from '../env.js';
import type { SessionStore } from '../sessions/session-store.js';
import type { MessageSource } from './message-source.js';
import { createSimulatedSource } from './simulated-source.js';
import { createGramjsClient, createTelegramSource } from './telegram-source.js';

export interface SelectSourceOptions {
  env: IngestionEnv;
  sessions: SessionStore | undefined;
  log: Logger;
}

/**
 * Telegram when API id, API hash and a stored session are all there (INGESTION_SOURCE=auto or
 * telegram), else the simulated source. Reading the session is the one start-up query; a session
 * that fails its integrity check stops the start-up rather than fall back quietly.
 */
export async function selectSource({ env, sessions, log }: SelectSourceOptions): Promise<MessageSource> {
  const simulated = () =>
    createSimulatedSource({
      messagesPerChannel: env.INGESTION_SIMULATED_MESSAGES,
      latencyMs: env.INGESTION_SIMULATED_LATENCY_MS,
      failChannels: env.INGESTION_SIMULATED_FAIL_CHANNELS,
    });
  if (env.INGESTION_SOURCE === 'simulated') return simulated();
  const { TELEGRAM_API_ID: apiId, TELEGRAM_API_HASH: apiHash, TELEGRAM_SESSION_NAME: name } = env;
  if (apiId === undefined || apiHash === undefined || !sessions) return simulated();
  const session = await sessions.load(name);
  if (session === undefined) {
    if (env.INGESTION_SOURCE === 'telegram') {
      throw new Error(
        `INGESTION_SOURCE=telegram, but no Telegram session "${name}" is stored (saveTelegramSession)`,
      );
    }
    log.warn(
      { session: name },
      'Telegram API id and hash are set but no session is stored: using the simulated source',
    );
    return simulated();
  }
  log.info({ session: name }, 'syncing from Telegram over MTProto');
  return createTelegramSource(createGramjsClient({ apiId, apiHash, session }));
}
