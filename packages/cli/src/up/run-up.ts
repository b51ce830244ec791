import { demoAfterUp } from '../demo/demo-after-up.js';
import { isCliError } from '../errors.js';
import { type UpOptions, up } from './up.js';

const stopSignals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * A repeat this soon is the same Ctrl-C, not a second one: a terminal signals the whole
 * process group, and a wrapper in it (tsx under `npm start`) may relay it to us once more.
 */
const sameSignalWindowMs = 1000;

/**
 * The `mesh up` command: starts the mesh and keeps it up until Ctrl-C (or SIGTERM/SIGHUP) at any
 * moment, start-up included, then stops it in order and returns 0. A second signal forces:
 * `mesh` exits at once and its exit hooks SIGKILL the services and Redis and send Postgres its
 * fast-shutdown signal. A service, the explorer or Redis that dies is restarted (up.ts).
 * Returns 1 when start-up fails or Postgres ends by itself.
 */
export async function runUp(
  args: readonly string[],
  options: Omit<UpOptions, 'signal'> = {},
): Promise<number> {
  const unknown = args.filter((arg) => arg !== '--no-traffic');
  if (unknown.length > 0) {
    process.stderr.write(
      `mesh up takes only --no-traffic (got ${unknown.join(' ')}); settings come from the environment\n`,
    );
    return 2;
  }
  const afterUp = options.afterUp ?? demoAfterUp({ traffic: !args.includes('--no-traffic') });
  const interrupted = new AbortController();
  let firstSignalAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (firstSignalAt === undefined) {
      firstSignalAt = Date.now();
      process.stderr.write(`\n${signal}: stopping the mesh (again to force)\n`);
      interrupted.abort();
    } else if (Date.now() - firstSignalAt >= sameSignalWindowMs) {
      process.stderr.write(`\n${signal} again: forcing the mesh down\n`);
      process.exit(130);
    }
  };
  for (const signal of stopSignals) process.on(signal, onSignal);
  // Made before start-up: a signal that lands while `up` finishes must still stop the mesh.
  const stopped = new Promise<undefined>((resolve) => {
    interrupted.signal.addEventListener('abort', () => resolve(undefined), { once: true });
  });
  try {
    const mesh = await up({ ...options, afterUp, signal: interrupted.signal });
    const failure = await Promise.race([mesh.failed, stopped]);
    if (failure) process.stderr.write(`${failure}: stopping the mesh\n`);
    await mesh.stop();
    process.stderr.write('mesh stopped\n');
    return failure ? 1 : 0;
  } catch (error) {
    if (isCliError(error, 'ABORTED')) {
      process.stderr.write('mesh stopped\n');
      return 0;
    }
    process.stderr.write(`mesh up failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    for (const signal of stopSignals) process.off(signal, onSignal);
  }
}
