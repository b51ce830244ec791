import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Checks `X-Telegram-Bot-Api-Secret-Token` in constant time: both sides are hashed first,
 * so neither the content nor the length of the secret leaks through timing.
 */
export function createSecretCheck(secret: string): (presented: string | string[] | undefined) => boolean {
  const expected = digest(secret);
  return (presented) => typeof presented === 'string' && timingSafeEqual(digest(presented), expected);
}
