import { defineErrors } from '@mesh/kit';

/** Every error user-cache gives a caller, by code. */
export const errors = defineErrors({
  USERS_TOO_MANY_IDS: { code: 'BAD_REQUEST', message: 'Too many ids in one call' },
});
