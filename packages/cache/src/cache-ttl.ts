/**
 * Named TTLs in seconds (the presets the distribution back end used), so call sites say how fresh they need to be
 * rather than repeating numbers.
 */
export const CacheTtl = {
  /** 1 minute: near real-time figures. */
  VERY_SHORT: 60,
  /** 5 minutes: frequently changing data. */
  SHORT: 300,
  /** 15 minutes: the default for ordinary records. */
  MEDIUM: 900,
  /** 1 hour: slowly changing data. */
  LONG: 3600,
  /** 24 hours: reference data. */
  VERY_LONG: 86_400,
} as const;

export type CacheTtlName = keyof typeof CacheTtl;

/** Seconds (fractions allowed) as whole milliseconds for Redis; throws on a TTL that is not positive. */
export function toMs(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds < 0)
    throw new TypeError(`cache TTL ${seconds} s must be a positive number`);
  return Math.max(1, Math.round(seconds * 1000));
}
