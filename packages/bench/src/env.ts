/**
 * The environment a suite hands to the service or process it starts: this process's own
 * (REDIS_URL, DATABASE_URL...) under the suite's overrides. Read here, so the suites'
 * env.ts files stay the only other readers of `process.env`.
 */
export function serviceEnvSource(
  overrides: Readonly<Record<string, string | undefined>> = {},
): Record<string, string | undefined> {
  return { ...process.env, ...overrides };
}
