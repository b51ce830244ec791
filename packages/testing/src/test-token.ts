import { randomBytes } from 'node:crypto';

/** A fresh service token per test process: nothing secret is ever written in the code. */
export const TEST_TOKEN = randomBytes(24).toString('base64url');
