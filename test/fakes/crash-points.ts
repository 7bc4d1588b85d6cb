/**
 * Which crash points a crash proof runs. `npm test` samples every third boundary (the same
 * ones every run, so a failure repeats); `.ci/run` runs the rest too (`CRASH_MATRIX=rest`, after
 * `npm test`), so CI covers every boundary while the everyday suite stays fast.
 * `CRASH_MATRIX=full` runs every boundary at once.
 */
const STRIDE = 3;

export type CrashMatrix = "sample" | "rest" | "full";

export function crashMatrix(): CrashMatrix {
  const value = process.env["CRASH_MATRIX"] ?? "sample";
  if (value === "sample" || value === "rest" || value === "full") return value;
  throw new Error(`CRASH_MATRIX must be sample, rest or full, not ${value}`);
}

/** The boundaries 1…total this matrix runs, and of those, the share `part` of `parts`. */
export function crashPoints(total: number, part: number, parts: number): number[] {
  const matrix = crashMatrix();
  const all = Array.from({ length: total }, (_, i) => i + 1);
  const chosen =
    matrix === "full" ? all : all.filter((k) => (k % STRIDE === 0) === (matrix === "sample"));
  return chosen.filter((_, i) => i % parts === part);
}
