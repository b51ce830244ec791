import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redact-secrets.js';

describe('redactSecrets', () => {
  it('replaces every bot token in a URL and keeps the rest of the text', () => {
    expect(
      redactSecrets('POST https://api.telegram.org/bot123:AB-c_9/sendMessage then /bot45:x/getMe?offset=1'),
    ).toBe('POST https://api.telegram.org/bot<redacted>/sendMessage then /bot<redacted>/getMe?offset=1');
  });

  it('leaves text without a token as it is', () => {
    expect(redactSecrets('/bots/42/commands and /botany')).toBe('/bots/42/commands and /botany');
  });
});
