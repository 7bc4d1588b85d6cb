/**
 * Runs every `bench:*` script of package.json in its quick mode (`BENCH_QUICK=1`) and fails
 * unless each exits 0 and ends with its one JSON line naming the bench, so a bench cannot rot
 * unnoticed. `.ci/run` runs it; the full runs stay manual. Ends with one JSON line.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const TIMEOUT_MS = 180_000;

const { scripts } = JSON.parse(readFileSync(`${root}/package.json`, "utf8")) as {
  scripts: Record<string, string>;
};
const benches = Object.keys(scripts).filter((name) => /^bench:(?!check$)/.test(name));

interface Outcome {
  readonly name: string;
  readonly ok: boolean;
  readonly seconds: number;
  readonly problem?: string;
}

function check(name: string): Outcome {
  const started = performance.now();
  const run = spawnSync("npm", ["run", "-s", name], {
    cwd: root,
    env: { ...process.env, BENCH_QUICK: "1" },
    encoding: "utf8",
    timeout: TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(((performance.now() - started) / 1000).toFixed(1));
  const fail = (problem: string): Outcome => ({ name, ok: false, seconds, problem });
  if (run.error) return fail(run.error.message);
  if (run.status !== 0)
    return fail(
      `exit ${run.status ?? run.signal}: ${run.stderr.trim().split("\n").slice(-5).join(" | ")}`,
    );
  const last = run.stdout.trim().split("\n").at(-1) ?? "";
  try {
    const line = JSON.parse(last) as { bench?: unknown };
    const expected = name.slice("bench:".length);
    if (line.bench !== expected)
      return fail(`its JSON line names bench ${String(line.bench)}, not ${expected}`);
  } catch {
    return fail(`its last line is not JSON: ${last.slice(0, 200)}`);
  }
  return { name, ok: true, seconds };
}

const outcomes = benches.map((name) => {
  const outcome = check(name);
  console.log(
    `${outcome.ok ? "ok  " : "FAIL"} ${name.padEnd(18)} ${String(outcome.seconds).padStart(6)} s${outcome.problem ? `  ${outcome.problem}` : ""}`,
  );
  return outcome;
});
const failed = outcomes.filter((o) => !o.ok);
console.log(
  JSON.stringify({
    bench: "check",
    benches: outcomes.length,
    failed: failed.map((o) => o.name),
    outcomes,
  }),
);
process.exitCode = failed.length > 0 ? 1 : 0;
