export interface RestartPolicyOptions {
  /** This many crashes within `windowMs` and the child is given up on. */
  maxCrashes?: number;
  windowMs?: number;
  /** The pause before the first restart; it doubles with each crash still in the window. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  now?: () => number;
}

export type RestartDecision =
  | { action: 'restart'; delayMs: number; crashes: number }
  | { action: 'give-up'; crashes: number };

export interface RestartPolicy {
  readonly maxCrashes: number;
  readonly windowMs: number;
  /** Records a crash now and says what to do about it. */
  crashed(): RestartDecision;
}

/**
 * When to bring a crashed child back: at once-ish the first time (a lone kill or OOM), slower
 * as crashes pile up (a crash loop should not eat the machine), and never again after
 * `maxCrashes` within `windowMs` (5 in 60 s by default): that child is broken, not unlucky.
 */
export function createRestartPolicy({
  maxCrashes = 5,
  windowMs = 60_000,
  baseDelayMs = 250,
  maxDelayMs = 5000,
  now = Date.now,
}: RestartPolicyOptions = {}): RestartPolicy {
  const crashes: number[] = [];
  return {
    maxCrashes,
    windowMs,
    crashed() {
      const at = now();
      crashes.push(at);
      while (crashes.length > 0 && (crashes[0] ?? at) <= at - windowMs) crashes.shift();
      const count = crashes.length;
      if (count >= maxCrashes) return { action: 'give-up', crashes: count };
      return {
        action: 'restart',
        delayMs: Math.min(baseDelayMs * 2 ** (count - 1), maxDelayMs),
        crashes: count,
      };
    },
  };
}
