// Telegram's Bot API puts the bot token in the URL path (`/bot<id>:<secret>/<method>`). HTTP
// instrumentation records that URL (url.full, url.path), and an error or a log line may quote it.
const BOT_TOKEN_IN_URL = /\/bot\d+:[\w-]+/g;

/**
 * `text` with any secret the mesh knows the shape of (a bot token in a URL) replaced. One
 * pattern for every place that cuts them: the services' HTTP client spans before export, and
 * the trace explorer on whatever it receives.
 */
export function redactSecrets(text: string): string {
  return text.includes('/bot') ? text.replace(BOT_TOKEN_IN_URL, '/bot<redacted>') : text;
}
