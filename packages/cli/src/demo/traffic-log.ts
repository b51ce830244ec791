/** Where the demo's short lines go (`mesh up` gives its own prefixed output). */
export interface TrafficLog {
  info(text: string): void;
  warn(text: string): void;
}

/**
 * One line when a stream of calls starts failing and one when it recovers, not one per failed
 * call: a service that is down for a minute must not flood the terminal.
 */
export function createFailureNotes(log: TrafficLog) {
  const failing = new Set<string>();
  return {
    failed(name: string, error: unknown) {
      if (failing.has(name)) return;
      failing.add(name);
      log.warn(`demo traffic: ${name} failed (${describeError(error)}); retrying quietly`);
    },
    succeeded(name: string) {
      if (failing.delete(name)) log.info(`demo traffic: ${name} answers again`);
    },
  };
}

export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { data?: { code?: unknown } }).data?.code;
  const text = error.message.split('\n')[0] ?? '';
  return typeof code === 'string' && !text.startsWith(code) ? `${code}: ${text}` : text;
}
