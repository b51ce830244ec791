import { defineErrors } from '@mesh/kit';

/** Every error user-cache gives a caller, by code. */
export const errors = defineErrors({
  USERS_TOO_MANY_IDS: { code: 'BAD_REQUEST', message: 'Too many ids in one call' },
  USER_NOT_FOUND: { code: 'NOT_FOUND', message: 'No user with this id' },
  USER_RATE_LIMITED: {
    code: 'TOO_MANY_REQUESTS',
    message: 'Too many reads for this user; retry after the window',
  },
  CHAT_ALREADY_PAIRED: { code: 'CONFLICT', message: 'One of the two chats already has a partner' },
  PAIRS_UNAVAILABLE: {
    code: 'SERVICE_UNAVAILABLE',
    message: 'Chat pairs are unavailable while Redis is down',
  },
});
