import { defineErrors } from '@mesh/kit';

/** Every error ingestion gives a caller, by code. */
export const errors = defineErrors({
  INGEST_CHANNEL_UNKNOWN: { code: 'NOT_FOUND', message: 'Channel is not registered' },
});
