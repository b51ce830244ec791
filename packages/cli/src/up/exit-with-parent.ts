/**
 * Preloaded into every Node child of `mesh up` (`node --import tsx --import <this> <entry>`):
 * when `mesh up` is gone (SIGKILLed, so it could not stop anyone), the child is re-parented and
 * `process.ppid` changes; the child then stops itself as on SIGTERM, and for good after 3 s.
 * `MESH_PARENT_PID`, set by the supervisor, is the parent to outlive not.
 */
// process.env is read here and not through the CLI's env.ts on purpose: this file runs inside
// every service process, before the service's own code, so it imports nothing (builtins only,
// no zod, no CLI settings to validate and perhaps refuse in a process that is not the CLI).
// One integer, checked below; anything else leaves the service alone.
const parent = Number(process.env.MESH_PARENT_PID);

if (Number.isInteger(parent) && parent > 0) {
  const check = () => {
    if (process.ppid === parent) return;
    clearInterval(poll);
    setTimeout(() => process.exit(1), 3000).unref();
    process.kill(process.pid, 'SIGTERM');
  };
  const poll = setInterval(check, 250);
  poll.unref();
  check();
}
