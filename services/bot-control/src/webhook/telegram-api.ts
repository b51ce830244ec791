import { errors } from '../errors.js';

export interface TelegramApi {
  /** One Bot API method (`answerCallbackQuery`, `sendMessage`...); resolves to its `result`. */
  call<TResult = unknown>(method: string, params: Record<string, unknown>): Promise<TResult>;
}

/**
 * The Bot API over HTTPS JSON: `POST <apiRoot>/bot<token>/<method>`. The token is in the URL
 * Telegram defines, so the URL is never logged; errors carry the method and Telegram's
 * description only.
 */
export function createTelegramApi(options: {
  apiRoot: string;
  token: string;
  timeoutMs?: number;
}): TelegramApi {
  const base = `${options.apiRoot.replace(/\/$/, '')}/bot${options.token}`;
  return {
    async call<TResult>(method: string, params: Record<string, unknown>) {
      const response = await fetch(`${base}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(params),
        signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
      });
      const body = (await response.json().catch(() => ({}))) as {
        ok?: boolean;
        result?: TResult;
        description?: string;
      };
      if (!body.ok) {
        throw errors.create('BOTS_TELEGRAM_FAILED', {
          detail: `${method}: ${body.description ?? response.status}`,
        });
      }
      return body.result as TResult;
    },
  };
}
