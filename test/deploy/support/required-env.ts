/** A service's `readEnv` (or the migration Job's): throws naming the variables it rejects. */
export type ReadEnv = (source: Record<string, string | undefined>) => unknown;

/** The variables an env reader's error names: EnvError's list, or the names in its message. */
function rejectedVariables(readEnv: ReadEnv, source: Record<string, string>): string[] | null {
  try {
    readEnv(source);
    return null;
  } catch (error) {
    const listed = (error as { variables?: unknown }).variables;
    if (Array.isArray(listed)) return listed.map(String);
    const message = error instanceof Error ? error.message : String(error);
    const named = message.match(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g);
    if (named) return [...new Set(named)];
    throw error;
  }
}

export interface RequiredEnv {
  /** Variables the reader refuses to start without (no default), as far as discovered. */
  required: string[];
  /** Required variables `provided` lacks. */
  missing: string[];
}

/**
 * Asks the env reader itself which variables it requires: starting from nothing, every
 * variable it rejects while absent has no default. Each is then filled from `provided`
 * (the pod's environment) and the reader asked again, so requirements checked in a later
 * stage (the db, cache and telemetry readers run after the service's own schema) are found
 * too. Stops at the first required variable `provided` lacks, and reports it.
 */
export function probeRequiredEnv(readEnv: ReadEnv, provided: Record<string, string>): RequiredEnv {
  const source: Record<string, string> = {};
  const required: string[] = [];
  const missing: string[] = [];
  for (;;) {
    const rejected = rejectedVariables(readEnv, source);
    const absent = (rejected ?? []).filter((name) => !(name in source));
    // Accepted, or only present values rejected: validating values is another check's job.
    if (absent.length === 0) break;
    required.push(...absent);
    for (const name of absent) {
      const value = provided[name];
      if (value === undefined) missing.push(name);
      else source[name] = value;
    }
    if (missing.length > 0) break;
  }
  return { required: required.sort(), missing: missing.sort() };
}
