export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failures: number;
  /** First pause before a probe; doubles after each failed probe up to `maxCooldownMs`. */
  cooldownMs: number;
  maxCooldownMs?: number;
  /**
   * Runs in the background once the pause is over, while callers still bypass: resolves
   * when the dependency is usable again (and anything owed to it is settled).
   */
  probe(): Promise<void>;
  onOpen(error: unknown): void;
  onClose(): void;
  now?: () => number;
}

export type CircuitState = 'closed' | 'open' | 'probing';

export interface CircuitBreaker {
  readonly state: CircuitState;
  /** Whether a call may use the dependency now. */
  allow(): boolean;
  success(): void;
  failure(error: unknown): void;
}

/**
 * Stops calls from hammering a dependency that is down: after `failures` failures in a row
 * the circuit opens and `allow()` says no; after the cooldown a single background probe
 * decides whether to close it again (no caller ever waits on a probe).
 */
export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const { failures: threshold, cooldownMs, maxCooldownMs = 30_000, now = Date.now } = options;
  let state: CircuitState = 'closed';
  let consecutive = 0;
  let pause = cooldownMs;
  let reopenAt = 0;

  const open = (error: unknown) => {
    const wasClosed = state === 'closed';
    state = 'open';
    reopenAt = now() + pause;
    if (wasClosed) options.onOpen(error);
  };

  const startProbe = () => {
    state = 'probing';
    options.probe().then(
      () => {
        state = 'closed';
        consecutive = 0;
        pause = cooldownMs;
        options.onClose();
      },
      (error: unknown) => {
        pause = Math.min(pause * 2, maxCooldownMs);
        open(error);
      },
    );
  };

  return {
    get state() {
      return state;
    },
    allow() {
      if (state === 'closed') return true;
      if (state === 'open' && now() >= reopenAt) startProbe();
      return false;
    },
    success() {
      if (state === 'closed') consecutive = 0;
    },
    failure(error) {
      if (state !== 'closed') return;
      consecutive++;
      if (consecutive >= threshold) open(error);
    },
  };
}
