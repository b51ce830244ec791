import type { Attributes, AttributeValue } from './stored-span.js';

// Telegram's Bot API puts the bot token in the URL path; HTTP instrumentation records that URL
// (url.full, url.path), and an error or a log line may quote it.
const BOT_TOKEN_IN_URL = /\/bot\d+:[\w-]+/g;

/** `text` with any bot token in a URL replaced. */
export function redactText(text: string): string {
  return text.includes('/bot') ? text.replace(BOT_TOKEN_IN_URL, '/bot<redacted>') : text;
}

function redactValue(value: AttributeValue): AttributeValue {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value !== null && typeof value === 'object') return withoutSecrets(value);
  return value;
}

/**
 * Attributes with any bot token in a URL replaced, at any depth, so the explorer never shows
 * or serves one: span attributes, span events' (an exception's message) and log records'.
 */
export function withoutSecrets(attributes: Attributes): Attributes {
  for (const [key, value] of Object.entries(attributes)) attributes[key] = redactValue(value);
  return attributes;
}
