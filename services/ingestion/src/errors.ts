import { defineErrors } from '@mesh/kit';

/** Every error ingestion gives a caller, by code. */
export const errors = defineErrors({
  INGEST_CHANNEL_UNKNOWN: { code: 'NOT_FOUND', message: 'Channel is not registered or not active' },
  INGEST_RUN_IN_PROGRESS: { code: 'CONFLICT', message: 'A sync run with this id is already running' },
  INGEST_SOURCE_FAILED: { code: 'BAD_GATEWAY', message: 'The message source failed' },
  INGEST_SOURCE_TIMEOUT: { code: 'GATEWAY_TIMEOUT', message: 'The message source did not answer in time' },
  INGEST_WRITE_FAILED: {
    code: 'INTERNAL_SERVER_ERROR',
    message: "The channel's messages could not be saved",
  },
  INGEST_CURSOR_INVALID: {
    code: 'BAD_REQUEST',
    message: 'The cursor is not one listMessages gave for this channel',
  },
  INGEST_SESSION_KEY_MISSING: {
    code: 'PRECONDITION_FAILED',
    message: 'TELEGRAM_SESSION_ENCRYPTION_KEY is not configured, so sessions cannot be stored',
  },
  INGEST_SESSION_NOT_FOUND: { code: 'NOT_FOUND', message: 'No Telegram session is stored under this name' },
  INGEST_SESSION_KEY_UNKNOWN: {
    code: 'PRECONDITION_FAILED',
    message: 'The stored session was encrypted with a key that is not configured',
  },
  INGEST_SESSION_TAMPERED: {
    code: 'PRECONDITION_FAILED',
    message: 'The stored session failed its integrity check (tampered or corrupt)',
  },
});

export type IngestErrorCode = keyof typeof errors.registry;
