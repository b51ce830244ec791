/**
 * Preloaded into every Node child of `mesh up` (`node --import tsx --import <this> <entry>`):
 * when `mesh up` is gone (SIGKILLed, so it could not stop anyone), the child is re-parented and
 * `process.ppid` changes; the child then stops itself as on SIGTERM, and for good after 3 s.
 * `MESH_PARENT_PID`, set by the supervisor, is the parent to outlive not.
 */
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
