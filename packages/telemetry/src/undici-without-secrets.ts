import { redactSecrets } from '@mesh/config';
import type { Attributes } from '@opentelemetry/api';
import { UndiciInstrumentation, type UndiciRequest } from '@opentelemetry/instrumentation-undici';
import { ATTR_URL_FULL, ATTR_URL_PATH, ATTR_URL_QUERY } from '@opentelemetry/semantic-conventions';

/**
 * The URL attributes of a fetch, with any secret in them cut (a bot token in a Bot API path).
 * Empty when there is none, so the instrumentation's own values stand.
 */
export function urlAttributesWithoutSecrets(request: Pick<UndiciRequest, 'origin' | 'path'>): Attributes {
  let url: URL;
  try {
    url = new URL(request.path, request.origin);
  } catch {
    // The instrumentation makes no span for a URL it cannot parse either.
    return {};
  }
  const full = url.toString();
  const redacted = redactSecrets(full);
  if (redacted === full) return {};
  return {
    [ATTR_URL_FULL]: redacted,
    [ATTR_URL_PATH]: redactSecrets(url.pathname),
    [ATTR_URL_QUERY]: redactSecrets(url.search),
  };
}

/**
 * undici's instrumentation (fetch), whose spans never hold a secret from the URL: its start
 * hook's attributes replace the URL ones before the span starts, so no processor, sampler or
 * exporter ever sees the token (bot-control's fetch to `…/bot<token>/<method>`).
 */
export function createUndiciInstrumentation(): UndiciInstrumentation {
  return new UndiciInstrumentation({ startSpanHook: urlAttributesWithoutSecrets });
}
