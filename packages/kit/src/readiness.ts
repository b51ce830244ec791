import type { Logger } from '@mesh/telemetry';

/** A named dependency check for `/readyz`: resolves when the dependency answers. */
export type ReadinessCheck = () => Promise<unknown>;

/**
 * A dependency the service can run without (answers slower, from a fallback): when it fails
 * it is reported `degraded` and readiness holds.
 */
export interface OptionalReadinessCheck {
  check: ReadinessCheck;
  required: false;
}

export type ReadinessState = 'ok' | 'down' | 'disabled' | 'degraded';

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, ReadinessState>;
}

const CHECK_TIMEOUT_MS = 2000;

function withTimeout(check: ReadinessCheck): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`readiness check timed out after ${CHECK_TIMEOUT_MS} ms`)),
      CHECK_TIMEOUT_MS,
    );
  });
  return Promise.race([check(), timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs every check at once. A check set to `null` is a dependency deliberately absent
 * (Redis in fallback mode): reported, but not a reason to be unready.
 */
export async function checkReadiness(
  checks: Record<string, ReadinessCheck | OptionalReadinessCheck | null>,
  log: Logger,
): Promise<ReadinessReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, entry]): Promise<[string, ReadinessState]> => {
      if (entry === null) return [name, 'disabled'];
      const optional = typeof entry !== 'function';
      try {
        await withTimeout(optional ? entry.check : entry);
        return [name, 'ok'];
      } catch (error) {
        log.warn({ err: error, check: name }, 'readiness check failed');
        return [name, optional ? 'degraded' : 'down'];
      }
    }),
  );
  return { ready: entries.every(([, state]) => state !== 'down'), checks: Object.fromEntries(entries) };
}
