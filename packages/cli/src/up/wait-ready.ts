import { get } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { CliError } from '../errors.js';
import type { ChildExit } from './supervise.js';

export interface ReadyTarget {
  name: string;
  /** Answers 200 once the service can serve, e.g. http://127.0.0.1:4020/readyz. */
  url: string;
}

export interface WaitReadyOptions {
  targets: readonly ReadyTarget[];
  /** For all of them together. */
  timeoutMs: number;
  intervalMs?: number;
  /** A child that ends while we wait fails the wait at once. */
  exited?: Promise<ChildExit>;
  signal?: AbortSignal;
}

/**
 * Polls every target until each has answered 200 once. Throws SERVICE_EXITED naming a
 * process that ended, SERVICE_NOT_READY naming those still not ready at the deadline, or
 * ABORTED.
 */
export async function waitReady({
  targets,
  timeoutMs,
  intervalMs = 250,
  exited,
  signal,
}: WaitReadyOptions): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let ended: ChildExit | undefined;
  void exited?.then((exit) => {
    ended = exit;
  });
  let pending = [...targets];
  while (pending.length > 0) {
    if (signal?.aborted) throw new CliError('ABORTED', 'interrupted while waiting for the services');
    if (ended) throw new CliError('SERVICE_EXITED', `${describeExit(ended)} before it was ready`);
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      const names = pending.map((target) => `${target.name} (${target.url})`).join(', ');
      throw new CliError('SERVICE_NOT_READY', `not ready after ${timeoutMs / 1000} s: ${names}`);
    }
    const ready = await Promise.all(
      pending.map((target) => answers200(target.url, Math.min(remaining, 2000))),
    );
    pending = pending.filter((_target, index) => !ready[index]);
    if (pending.length > 0) await delay(intervalMs, undefined, { signal }).catch(() => undefined);
  }
}

/** "user-cache exited with code 1", "… was killed by SIGKILL", "… could not start: …". */
export function describeExit({ name, code, signal, error }: ChildExit): string {
  if (error) return `${name} could not start: ${error.message}`;
  if (signal) return `${name} was killed by ${signal}`;
  return `${name} exited with code ${code}`;
}

/** One GET on a fresh connection: a pooled keep-alive socket would hold the service's close() up. */
function answers200(url: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get(url, { agent: false, timeout: timeoutMs }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(false));
  });
}
