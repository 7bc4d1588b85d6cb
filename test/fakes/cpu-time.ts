/**
 * The CPU time `run` takes in this process, in milliseconds: what a linear-time check measures.
 * Wall time on a loaded machine counts the other processes' turns too (a 2-core runner at load 15
 * made 50 ms of work read 900 ms); CPU time counts only ours. Test files run in their own worker
 * process (vitest's `forks` pool), so no other test's work is counted.
 */
export function cpuMs(run: () => unknown): number {
  const start = process.cpuUsage();
  try {
    run();
  } catch {
    // Refusing the text is an answer too; only the time counts.
  }
  const spent = process.cpuUsage(start);
  return (spent.user + spent.system) / 1_000;
}
