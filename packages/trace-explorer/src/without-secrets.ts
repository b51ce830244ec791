import { redactSecrets } from '@mesh/config';
import type { Attributes, AttributeValue } from './stored-span.js';

/**
 * `text` with any bot token in a URL replaced: the services cut them from their own client
 * spans, and the explorer cuts them again from whatever reaches it (another exporter, an
 * error's message, a log line).
 */
export const redactText: (text: string) => string = redactSecrets;

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
  for (const key in attributes) {
    if (!Object.hasOwn(attributes, key)) continue;
    const value = attributes[key] as AttributeValue;
    // Stored again only when it changed: most values (numbers, clean strings) do not.
    const redacted = redactValue(value);
    if (redacted !== value) attributes[key] = redacted;
  }
  return attributes;
}
