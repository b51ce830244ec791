import { setTimeout as sleep } from 'node:timers/promises';

export interface RunEveryOptions {
  everyMs: number;
  /** Before the first run; spreads the loops so they do not all fire at once. */
  firstAfterMs?: number;
  signal: AbortSignal;
  run(): Promise<void>;
}

/**
 * Runs `run` every `everyMs` until `signal` aborts; a run that throws is the caller's to
 * report (it catches), and the loop goes on. Resolves once aborted and the current run is over.
 */
export async function runEvery({ everyMs, firstAfterMs = 0, signal, run }: RunEveryOptions): Promise<void> {
  let wait = firstAfterMs;
  while (!signal.aborted) {
    try {
      await sleep(wait, undefined, { signal });
    } catch {
      return;
    }
    const started = Date.now();
    await run();
    wait = Math.max(0, everyMs - (Date.now() - started));
  }
}
