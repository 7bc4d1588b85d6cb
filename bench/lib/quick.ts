/**
 * `BENCH_QUICK=1` (set by `npm run bench:check`, which `.ci/run` runs) shrinks a bench to prove it
 * still runs end to end and prints its JSON line; its figures are then not the bench's figures.
 * An explicit size in the environment (`BENCH_TASKS=…`) still wins.
 */
export const QUICK = process.env["BENCH_QUICK"] === "1";

/** A bench's size: from the environment variable `name` if set, else `full` (or `quick`). */
export function size(name: string, full: number, quick: number): number {
  const set = process.env[name];
  return set === undefined ? (QUICK ? quick : full) : Number(set);
}
