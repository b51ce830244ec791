import { defineErrors } from '@mesh/kit';

/** Every error bot-control gives a caller, by code. */
export const errors = defineErrors({
  BOTS_NOT_FOUND: { code: 'NOT_FOUND', message: 'No bot has this id' },
  BOTS_NAME_TAKEN: { code: 'CONFLICT', message: 'A bot with this name exists' },
  BOTS_COMMAND_NOT_FOUND: { code: 'NOT_FOUND', message: 'No command has this id' },
  BOTS_COMMAND_STATE: { code: 'CONFLICT', message: 'The command is not in a state that allows this change' },
  BOTS_TELEGRAM_FAILED: { code: 'BAD_GATEWAY', message: 'The Telegram Bot API refused or did not answer' },
  BOTS_JOBS_UNAVAILABLE: { code: 'PRECONDITION_FAILED', message: 'Background jobs need Redis (REDIS_URL)' },
});
