import { defineErrors } from '@mesh/kit';

/** Every error analytics gives a caller, by code. */
export const errors = defineErrors({
  ANALYTICS_RANGE_INVALID: { code: 'BAD_REQUEST', message: 'The time range is invalid' },
});
