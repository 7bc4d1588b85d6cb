/**
 * Engine overhead per step and memory for 50 concurrent tasks (in this process, and through the
 * CLI in a process of its own that loads only the product), on the demo task with a
 * zero-latency replay model. Git, gate and state-file time are measured at the ports and
 * reported on their own; "engine" is what is left: transitions, prompts, validation, logging.
 * Ends with one JSON line of figures.
 */
import { spawnSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { Git } from "../src/adapters/git/git.ts";
import { createSampleRepo, DEMO_DIR } from "../src/cli/sample-repo.ts";
import { createEngine } from "../src/engine/engine.ts";
import type { EngineDeps } from "../src/engine/deps.ts";
import type { TaskDefinition } from "../src/core/task/definition.ts";
import { demoCassette, demoTask, harness, silentLogger } from "../test/fakes/harness.ts";
import { size } from "./lib/quick.ts";
import { useTempRoot } from "./lib/temp-root.ts";

useTempRoot();

const RUNS = size("BENCH_RUNS", 7, 1);
const CONCURRENT = size("BENCH_TASKS", 50, 5);

type Bucket = "git" | "gate" | "state";

/** Wraps every port method and adds its wall time to a bucket. */
function timed(deps: EngineDeps, totals: Record<Bucket, number>): EngineDeps {
  const wrap = <T extends object>(target: T, bucket: Bucket): T =>
    new Proxy(target, {
      get(obj, prop, receiver) {
        const value = Reflect.get(obj, prop, receiver) as unknown;
        if (typeof value !== "function") return value;
        return async (...args: unknown[]) => {
          const started = performance.now();
          try {
            const out: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(
              obj,
              args,
            );
            return bucket === "git" && prop === "open" ? wrap(out as object, "git") : out;
          } finally {
            totals[bucket] += performance.now() - started;
          }
        };
      },
    });
  return {
    ...deps,
    workspace: wrap(deps.workspace, "git"),
    gate: wrap(deps.gate, "gate"),
    store: wrap(deps.store, "state"),
    tracker: wrap(deps.tracker, "state"),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function oneRun(
  task: TaskDefinition,
): Promise<{ steps: number; total: number } & Record<Bucket, number>> {
  const h = await harness(await demoCassette());
  const base = await h.host({ logger: silentLogger });
  const totals: Record<Bucket, number> = { git: 0, gate: 0, state: 0 };
  const engine = createEngine(timed({ ...base.deps }, totals));
  const started = performance.now();
  await engine.start(task);
  const doc = await engine.run(task.id);
  const total = performance.now() - started;
  if (doc.state !== "done") throw new Error(`bench task ended ${doc.state}`);
  return { steps: doc.steps.length, total, ...totals };
}

async function overheadPerStep() {
  const task = await demoTask();
  await oneRun(task); // warm-up: module loading, JIT
  const runs: Awaited<ReturnType<typeof oneRun>>[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await oneRun(task));
  const per = (pick: (r: (typeof runs)[number]) => number) =>
    median(runs.map((r) => pick(r) / r.steps));
  return {
    steps: runs[0]?.steps ?? 0,
    totalMsPerStep: per((r) => r.total),
    gitMsPerStep: per((r) => r.git),
    gateMsPerStep: per((r) => r.gate),
    stateIoMsPerStep: per((r) => r.state),
    engineMsPerStep: per((r) => r.total - r.git - r.gate - r.state),
    engineAndStateMsPerStep: per((r) => r.total - r.git - r.gate),
  };
}

async function concurrentMemory() {
  const template = await demoTask();
  const h = await harness(await demoCassette());
  const base = await h.host({ logger: silentLogger });
  const config = {
    ...base.config,
    gate: {
      commands: [{ name: "test", run: "grep -q 'max - 1' src/truncate.js", timeout_seconds: 60 }],
    },
  };
  const host = await h.host({ logger: silentLogger, config });
  const tasks = Array.from({ length: CONCURRENT }, (_, i) => ({
    ...template,
    id: `BENCH-${String(i + 1).padStart(3, "0")}`,
  }));
  global.gc?.();
  const baselineRss = process.memoryUsage().rss;
  let peak = baselineRss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const started = performance.now();
  for (const t of tasks) await host.engine.start(t);
  const results = await host.engine.runMany(
    tasks.map((t) => t.id),
    CONCURRENT,
  );
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const done = [...results.values()].filter(
    (r) => !(r instanceof Error) && r.state === "done",
  ).length;
  return {
    tasks: CONCURRENT,
    done,
    wallMs,
    baselineRssMb: baselineRss / 2 ** 20,
    peakRssMb: peak / 2 ** 20,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

/**
 * The same 50 tasks through the CLI as a user runs it (`orchestrator run --provider replay`), in
 * a process of its own that loads only what the product loads (no test doubles), so its peak
 * RSS is what a host with that many tasks at once needs.
 */
async function cliMemory() {
  const template = await readFile(join(DEMO_DIR, "tasks.yaml"), "utf8");
  const repo = await createSampleRepo("orchestrator-bench-");
  const entry = template.slice(template.indexOf("  - id:"));
  const tasks = Array.from({ length: CONCURRENT }, (_, i) =>
    entry.replace("TEXT-001", `BENCH-${String(i + 1).padStart(3, "0")}`),
  );
  await writeFile(join(repo, "tasks.yaml"), `tasks:\n${tasks.join("")}`);
  await writeFile(
    join(repo, ".orchestrator", "config.yaml"),
    "gate:\n  commands:\n    - name: test\n      run: grep -q 'max - 1' src/truncate.js\n      timeout_seconds: 60\n",
  );
  const git = new Git({ cwd: repo });
  await git.run(["add", "-A"]);
  await git.run([
    "-c",
    "user.name=bench",
    "-c",
    "user.email=bench@localhost",
    "commit",
    "-qm",
    "bench",
  ]);
  const report = join(repo, "..", `peak-${process.pid}.json`);
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    [
      "--import",
      fileURLToPath(new URL("./lib/peak-rss.ts", import.meta.url)),
      fileURLToPath(new URL("../src/cli/main.ts", import.meta.url)),
      "run",
      "--working-dir",
      repo,
      "--provider",
      "replay",
      "--cassette",
      join(DEMO_DIR, "cassette.yaml"),
      "--concurrency",
      String(CONCURRENT),
      "--json",
    ],
    { env: { ...process.env, PEAK_RSS_FILE: report }, encoding: "utf8", maxBuffer: 64 * 2 ** 20 },
  );
  if (run.status !== 0) throw new Error(`orchestrator run exited ${run.status}: ${run.stderr}`);
  const { tasks: ended } = JSON.parse(run.stdout) as { tasks: { state: string }[] };
  const done = ended.filter((t) => t.state === "done").length;
  if (done !== CONCURRENT) throw new Error(`${done} of ${CONCURRENT} tasks done through the CLI`);
  const peak = JSON.parse(await readFile(report, "utf8")) as {
    rssMb: number;
    heapUsedMb: number;
    startRssMb: number;
    maxRssMb: number;
  };
  return { tasks: CONCURRENT, done, wallMs: performance.now() - started, ...peak };
}

const step = await overheadPerStep();
console.log(
  `engine overhead per step (median of ${RUNS} runs, ${step.steps} steps each, zero-latency model):`,
);
console.log(
  `  engine ${step.engineMsPerStep.toFixed(1)} ms · state I/O ${step.stateIoMsPerStep.toFixed(1)} ms · git ${step.gitMsPerStep.toFixed(1)} ms · gate ${step.gateMsPerStep.toFixed(1)} ms · total ${step.totalMsPerStep.toFixed(1)} ms`,
);
console.log(
  `  engine + state I/O is ${(step.engineAndStateMsPerStep / step.gitMsPerStep).toFixed(2)}× the git time of the same steps`,
);
const mem = await concurrentMemory();
const cli = await cliMemory();
console.log(
  `${mem.tasks} concurrent tasks: ${mem.done} done in ${(mem.wallMs / 1000).toFixed(1)} s; RSS ${mem.baselineRssMb.toFixed(0)} MB before, peak ${mem.peakRssMb.toFixed(0)} MB (maxRSS ${mem.maxRssMb.toFixed(0)} MB)`,
);
console.log(
  `the same ${cli.tasks} tasks through \`orchestrator run\` in its own process: ${cli.done} done in ${(cli.wallMs / 1000).toFixed(1)} s; RSS ${cli.startRssMb.toFixed(0)} MB at start, peak ${cli.rssMb.toFixed(0)} MB (heap ${cli.heapUsedMb.toFixed(0)} MB); goal ≤ 250 MB at 50 tasks: ${cli.tasks < 50 ? "not measured at this size" : cli.maxRssMb <= 250 ? "met" : "NOT met"}`,
);
console.log(
  JSON.stringify({
    bench: "engine",
    runs: RUNS,
    ...step,
    engineVsGit: step.engineAndStateMsPerStep / step.gitMsPerStep,
    concurrent: mem,
    cli,
  }),
);
