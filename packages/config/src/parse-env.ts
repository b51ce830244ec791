import type { z } from 'zod';

/** Thrown at start-up when a setting is missing or malformed; the message names every bad variable. */
export class EnvError extends Error {
  override readonly name = 'EnvError';
  constructor(
    readonly variables: string[],
    /** `VAR: what is wrong` for each, joined by `; `. */
    readonly detail: string,
  ) {
    super(`Invalid environment: ${detail}`);
  }

  /** One error for several groups of settings read one after another: every bad variable of each. */
  static combine(errors: readonly EnvError[]): EnvError {
    return new EnvError(
      [...new Set(errors.flatMap((error) => error.variables))],
      errors.map((error) => error.detail).join('; '),
    );
  }
}

/**
 * Validates `source` (process.env by default) against a zod object schema. Every
 * package's `env.ts` calls this once, so a bad setting fails fast and by name. Values are
 * never echoed, since some are secrets.
 */
export function parseEnv<TSchema extends z.ZodType>(
  schema: TSchema,
  source: Record<string, string | undefined> = process.env,
): z.infer<TSchema> {
  const parsed = schema.safeParse(source);
  if (parsed.success) return parsed.data;
  const variables = parsed.error.issues.map((issue) => issue.path.join('.'));
  const detail = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
  throw new EnvError(variables, detail);
}

/** An env flag: unset or empty means undefined, so `FOO=` clears a default-less setting. */
export function emptyAsUndefined(value: unknown): unknown {
  return value === '' ? undefined : value;
}
