/**
 * Answers the parent's `cpu-usage` message with this process's `process.cpuUsage()`: the
 * cost suite samples a server's CPU time before and after a load window over the IPC channel
 * `spawnRpcServer` opens, so the figure is the server's alone, whatever else runs.
 */
export function answerCpuUsage(): void {
  process.on('message', (message) => {
    if (message === 'cpu-usage') process.send?.(process.cpuUsage());
  });
}
