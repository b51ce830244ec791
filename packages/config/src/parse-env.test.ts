import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EnvError, parseEnv } from './parse-env.js';

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(4010),
  TOKEN: z.string().min(16),
});

describe('parseEnv', () => {
  it('applies defaults and coerces numbers', () => {
    expect(parseEnv(schema, { TOKEN: 'x'.repeat(16) })).toEqual({ PORT: 4010, TOKEN: 'x'.repeat(16) });
  });

  it('names every bad variable and never echoes a value', () => {
    const secret = 'short-secret';
    let caught: unknown;
    try {
      parseEnv(schema, { PORT: 'abc', TOKEN: secret });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EnvError);
    expect((caught as EnvError).variables.sort()).toEqual(['PORT', 'TOKEN']);
    expect((caught as EnvError).message).not.toContain(secret);
  });
});
