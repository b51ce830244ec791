import { defineErrors } from '@mesh/kit';

/** Every error bot-control gives a caller, by code. */
export const errors = defineErrors({
  BOTS_NOT_FOUND: { code: 'NOT_FOUND', message: 'No bot has this id' },
  BOTS_NAME_TAKEN: { code: 'CONFLICT', message: 'A bot with this name exists' },
});
