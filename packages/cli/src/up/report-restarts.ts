import type { KeepAliveEvent } from './keep-alive.js';
import type { Output } from './output.js';
import { createRestartPolicy, type RestartPolicyOptions } from './restart-policy.js';
import { describeExit } from './wait-ready.js';

/**
 * What `mesh up` prints as it keeps a child alive: one line per crash and per restart, and a
 * block nobody can miss when it gives up on one (the rest keep running).
 */
export function reportRestarts(output: Output, policy: RestartPolicyOptions = {}) {
  const { maxCrashes, windowMs } = createRestartPolicy(policy);
  const limit = `${maxCrashes} crashes in ${windowMs / 1000} s`;
  return (name: string, event: KeepAliveEvent): void => {
    switch (event.kind) {
      case 'crashed':
        output.line(
          'mesh',
          `${describeExit(event.exit)}; restarting it in ${event.delayMs / 1000} s (crash ${event.crashes}; gives up at ${limit})`,
          'stderr',
        );
        return;
      case 'restarted':
        output.info(`${name} restarted (pid ${event.pid})`);
        return;
      case 'gave-up':
        output.loud([
          `GAVE UP ON ${name}: ${describeExit(event.exit)}, after ${event.crashes} ${event.crashes === 1 ? 'crash' : 'crashes'} within ${windowMs / 1000} s.`,
          'It stays down; the rest of the mesh keeps running without it.',
          'Its last lines are above. Fix it, then stop (Ctrl-C) and start the mesh again.',
        ]);
        return;
    }
  };
}
