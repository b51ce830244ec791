/**
 * A child's leash: `node leash.ts <json>` runs one program that cannot watch its parent by
 * itself (postgres, redis-server) and stops it when `mesh up` is gone, even after a SIGKILL that
 * left no chance to clean up. Linux's PR_SET_PDEATHSIG would do this, but Node cannot set it.
 *
 * It talks to `mesh up` over an IPC channel: it sends `{ pid }` of the program once started, and
 * the channel's `disconnect` is how it learns its parent died (with a poll of `process.ppid` as
 * a backstop). Signals it gets are passed on; it ends as the program ended (same code, or the
 * same signal re-raised), so to its parent it looks like the program itself.
 *
 * Plain Node (type stripping, builtins only): it must start fast and load nothing of ours.
 */
import { spawn } from 'node:child_process';

interface LeashSpec {
  command: string;
  args: string[];
  cwd?: string;
  uid?: number;
  gid?: number;
  /** Sent to the program when the parent is gone; SIGKILL follows after `graceMs`. */
  parentGoneSignal: NodeJS.Signals;
  graceMs: number;
  parentPid: number;
}

const forwarded: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGQUIT', 'SIGHUP'];

function main(spec: LeashSpec): void {
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    stdio: ['ignore', 'inherit', 'inherit'],
    ...(spec.uid === undefined ? {} : { uid: spec.uid, gid: spec.gid }),
  });
  child.once('error', (error) => {
    process.stderr.write(`leash: could not start ${spec.command}: ${error.message}\n`);
    process.exit(127);
  });
  if (child.pid !== undefined) process.send?.({ pid: child.pid });

  for (const name of forwarded) process.on(name, () => child.kill(name));

  let gone = false;
  const parentGone = () => {
    if (gone) return;
    gone = true;
    child.kill(spec.parentGoneSignal);
    setTimeout(() => child.kill('SIGKILL'), spec.graceMs).unref();
  };
  process.once('disconnect', parentGone);
  const poll = setInterval(() => {
    if (process.ppid !== spec.parentPid) parentGone();
  }, 250);
  poll.unref();

  child.once('exit', (code, signal) => {
    clearInterval(poll);
    if (signal) {
      for (const name of forwarded) process.removeAllListeners(name);
      process.kill(process.pid, signal);
      // A signal that does not end a Node process by default (none of ours) still ends the leash.
      setTimeout(() => process.exit(128), 100).unref();
      return;
    }
    process.exit(code ?? 1);
  });
}

main(JSON.parse(process.argv[2] ?? '{}') as LeashSpec);
