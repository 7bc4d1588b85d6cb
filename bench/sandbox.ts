/**
 * Per-command overhead of the sandbox against a bare spawn of the same command, in the same run
 * (goal: ≤ 30 ms median for bwrap). Where bubblewrap does not work, its figures are null. Ends
 * with one JSON line.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnBounded } from "../src/adapters/sandbox/spawn-bounded.ts";
import { probe, SANDBOXES } from "../src/adapters/sandbox/registry.ts";
import { DEFAULT_LIMITS, type Sandbox } from "../src/ports/sandbox.ts";
import { size } from "./lib/quick.ts";
import { useTempRoot } from "./lib/temp-root.ts";

useTempRoot();
const RUNS = size("BENCH_RUNS", 60, 5);
const tree = mkdtempSync(join(tmpdir(), "bench-sandbox-"));
const limits = { ...DEFAULT_LIMITS, timeoutMs: 30_000 };
const COMMAND = "true";

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return Number((sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(1));
};

async function time(run: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times;
}

const bare = await time(() =>
  spawnBounded({
    file: "sh",
    args: ["-c", COMMAND],
    cwd: tree,
    env: {},
    limits,
    extraProcesses: 0,
  }),
);
const of = (sandbox: Sandbox) =>
  time(() => sandbox.run({ command: COMMAND, tree, network: false, limits }));
const none = await of(SANDBOXES.none());
const bwrap = SANDBOXES.bwrap();
const bwrapWorks = (await probe(bwrap)) === null;
const boxed = bwrapWorks ? await of(bwrap) : null;

const result = {
  bench: "sandbox",
  runs: RUNS,
  command: COMMAND,
  bareMedianMs: median(bare),
  noneMedianMs: median(none),
  bwrapMedianMs: boxed ? median(boxed) : null,
  bwrapOverheadMs: boxed ? Number((median(boxed) - median(bare)).toFixed(1)) : null,
  goalMs: 30,
  goalMet: boxed ? median(boxed) - median(bare) <= 30 : null,
};
console.log(JSON.stringify(result));
