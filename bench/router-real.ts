/**
 * The real-outcome world of `bench:router`: SWE-Bench Pro public instances with what three
 * real models did on each (resolved or not, and what the run cost), from Scale AI's published
 * runs (bench/data/README.md names the sources, commits and the extraction script). Tasks
 * arrive shuffled, or grouped by repository over time; every decision goes through the
 * project's own `routeTask` with the `learningContext` the engine builds, and every outcome is
 * written back as the engine writes it: a task line and a call line, parsed as record lines.
 */
import { readFileSync } from "node:fs";
import { shippedModels } from "../src/config/models.ts";
import {
  learningContext,
  learningFrom,
  tableCostFrom,
} from "../src/core/learning/routing-context.ts";
import { RouterMemory } from "../src/core/learning/memory.ts";
import {
  parseRecordLine,
  type CallLine,
  type RecordLine,
  type TaskLine,
} from "../src/core/learning/records.ts";
import { buildRegistry } from "../src/core/models/registry.ts";
import { routeTask, type RoutingContext } from "../src/core/routing/route.ts";
import { DEFAULT_ROUTING, type RoutingConfig } from "../src/core/routing/rules.ts";
import type { Strategy } from "../src/core/vocabulary/strategy.ts";
import type { TaskDefinition } from "../src/core/task/definition.ts";
import { seeded } from "../test/fakes/random.ts";

export const DATA_FILE = new URL("data/swe-bench-pro.csv", import.meta.url);

/** The models of the world, by the column prefix of the extracted table. */
export const REAL_MODELS = {
  "anthropic/claude-sonnet-4-5": "sonnet45",
  "openai/gpt-5": "gpt5",
  "anthropic/claude-haiku-4-5": "haiku45",
} as const;
export type RealModel = keyof typeof REAL_MODELS;
const MODELS = Object.keys(REAL_MODELS) as RealModel[];

/** What one success is worth, in dollars: the value of a task is this if solved, less its cost. */
export const SUCCESS_USD = 100;
/** Decisions before this one learn; the goals are measured from it on. */
export const WARM_UP = 200;
/** One task every three hours across the installation: 728 tasks take 91 days. */
const START = Date.parse("2026-06-01T00:00:00.000Z");
const INTERVAL_MS = 3 * 3_600_000;

export interface Instance {
  readonly id: string;
  readonly repo: string;
  readonly outcomes: Readonly<
    Record<RealModel, { readonly resolved: boolean; readonly costUsd: number }>
  >;
}

export function loadInstances(): Instance[] {
  const [head = "", ...lines] = readFileSync(DATA_FILE, "utf8").trim().split("\n");
  const columns = head.split(",");
  const at = (name: string): number => {
    const i = columns.findIndex((c) => c === name || c === `${name}_estimated`);
    if (i < 0) throw new Error(`${name} is not a column of ${DATA_FILE.pathname}`);
    return i;
  };
  return lines.map((line) => {
    const cells = line.split(",");
    const outcomes = Object.fromEntries(
      MODELS.map((m) => [
        m,
        {
          resolved: cells[at(`${REAL_MODELS[m]}_resolved`)] === "1",
          costUsd: Number(cells[at(`${REAL_MODELS[m]}_cost_usd`)]),
        },
      ]),
    ) as Instance["outcomes"];
    return { id: cells[0] ?? "", repo: cells[1] ?? "", outcomes };
  });
}

/** Every instance once, in random order. */
export function shuffledOrder(instances: readonly Instance[], seed: number): Instance[] {
  const r = seeded(seed * 104_729);
  const out = [...instances];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j] as Instance, out[i] as Instance];
  }
  return out;
}

/**
 * Every instance once, repositories taking turns in bursts: a repository (chosen by how much it
 * has left) sends up to 20 of its tasks in a row, then another one does.
 */
export function byRepositoryOrder(instances: readonly Instance[], seed: number): Instance[] {
  const r = seeded(seed * 7_919 + 1);
  const left = new Map<string, Instance[]>();
  for (const inst of shuffledOrder(instances, seed))
    left.set(inst.repo, [...(left.get(inst.repo) ?? []), inst]);
  const out: Instance[] = [];
  while (left.size > 0) {
    const total = [...left.values()].reduce((s, xs) => s + xs.length, 0);
    let x = r() * total;
    const repo =
      [...left.keys()].find((k) => (x -= left.get(k)?.length ?? 0) < 0) ??
      [...left.keys()][0] ??
      "";
    const tasks = left.get(repo) ?? [];
    const burst = 5 + Math.floor(r() * 16);
    out.push(...tasks.splice(0, burst));
    if (tasks.length === 0) left.delete(repo);
  }
  return out;
}

/** The registry the world routes with: the shipped table, and GPT-5 at its list price. */
function registry() {
  return buildRegistry(shippedModels(), {
    "openai/gpt-5": {
      tier: "advanced",
      capabilities: ["code", "analysis", "planning", "review", "complex_reasoning", "docs"],
      context_window: 400_000,
      max_output: 128_000,
      cache: "implicit",
      price: { input: 1.25, output: 10, cache_read: 0.125, cache_write: 0 },
      source: "https://developers.openai.com/api/docs/models/gpt-5",
    },
  });
}

/** One rule: the implementer is one of the three models, the rule table preferring Sonnet 4.5. */
export function realConfig(strategy: Strategy, successValueUsd = SUCCESS_USD): RoutingConfig {
  return {
    ...DEFAULT_ROUTING,
    rules: [
      {
        when: {},
        reason: "SWE-Bench Pro world",
        planner: ["anthropic/claude-sonnet-4-5"],
        implementer: [...MODELS],
        plan_reviewer: ["openai/gpt-5"],
        code_reviewer: ["openai/gpt-5", "anthropic/claude-sonnet-4-5"],
      },
    ],
    reviewers: ["openai/gpt-5"],
    strategy,
    learning: { ...DEFAULT_ROUTING.learning, success_value_usd: successValueUsd },
  };
}

export interface RunResult {
  /** The implementer chosen for each task of the stream. */
  readonly decisions: readonly RealModel[];
  /** Microseconds per `routeTask` call (learning context included), median over the run. */
  readonly usPerDecision: number;
}

const area = (repo: string): string =>
  (repo.split("/")[1] ?? repo)
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, "-")
    .slice(0, 32);

/** A decision rule that is not `routeTask` (a fixed model, random, hindsight): by task index. */
export type Fixed = (instance: Instance, i: number) => RealModel;

/**
 * Runs the stream through `routeTask` as the engine does: each repository has its own records
 * (its state branch), the installation's are the other repositories', and each finished task
 * appends its lines there. With `from: "records"` every decision reads the records as the
 * engine's start does (`learningContext`); by default the aggregates are kept up to date one
 * task at a time (`learningFrom`), as a long-running process can.
 */
export function routeStream(
  stream: readonly Instance[],
  config: RoutingConfig,
  seed: number,
  from: "memory" | "records" = "memory",
): RunResult {
  const reg = registry();
  const providers = new Set(["anthropic", "openai"]);
  const random = seeded(seed);
  const options = {
    halfLifeDays: config.learning.half_life_days,
    tableCost: tableCostFrom(reg),
  };
  const records = new Map<string, { tasks: TaskLine[]; calls: CallLine[] }>();
  const memories = new Map<string, RouterMemory>();
  const decisions: RealModel[] = [];
  const times: number[] = [];
  stream.forEach((inst, i) => {
    const now = new Date(START + i * INTERVAL_MS).toISOString();
    const definition: TaskDefinition = {
      id: `swe-${String(i)}`,
      goal: inst.id,
      risk: "medium",
      area: area(inst.repo),
      complexity: "medium",
      context_files: [],
      constraints: [],
    };
    const own = records.get(inst.repo) ?? { tasks: [], calls: [] };
    const memory = memories.get(inst.repo) ?? new RouterMemory(options);
    const started = performance.now();
    const window = {
      now,
      days: config.learning.window_days,
      halfLifeDays: config.learning.half_life_days,
    };
    const learning =
      from === "records"
        ? learningContext({
            records: own,
            installation: {
              tasks: [...records].flatMap(([repo, r]) => (repo === inst.repo ? [] : r.tasks)),
              calls: [...records].flatMap(([repo, r]) => (repo === inst.repo ? [] : r.calls)),
            },
            window,
            definition,
            random,
            registry: reg,
          })
        : learningFrom({
            own: memory,
            installation: [...memories].flatMap(([repo, m]) => (repo === inst.repo ? [] : [m])),
            now,
            definition,
            random,
          });
    const context: RoutingContext = { providers, registry: reg, learning };
    const model = routeTask(config, definition, context).implementer.model as RealModel;
    times.push((performance.now() - started) * 1000);
    decisions.push(model);
    const lines = recordLinesOf(definition, model, inst.outcomes[model], now);
    for (const line of lines) {
      if (line.kind === "task") own.tasks.push(line);
      else own.calls.push(line);
    }
    const [task, ...calls] = lines as [TaskLine, ...CallLine[]];
    memory.add(task, calls);
    records.set(inst.repo, own);
    memories.set(inst.repo, memory);
  });
  return { decisions, usPerDecision: median(times) };
}

/**
 * Microseconds per `routeTask` (learning context included) with every task of the world in one
 * repository's records: read from the records as the engine's start does, and from aggregates
 * kept up to date. Medians of `looks` decisions after all tasks are recorded.
 */
export function decisionTime(
  instances: readonly Instance[],
  looks = 200,
): { tasks: number; fromRecords: number; kept: number } {
  const reg = registry();
  const config = realConfig("learning");
  const providers = new Set(["anthropic", "openai"]);
  const known = { tasks: [] as TaskLine[], calls: [] as CallLine[] };
  const memory = new RouterMemory({
    halfLifeDays: config.learning.half_life_days,
    tableCost: tableCostFrom(reg),
  });
  const definition: TaskDefinition = {
    id: "timing",
    goal: "timing",
    risk: "medium",
    area: "core",
    complexity: "medium",
    context_files: [],
    constraints: [],
  };
  instances.forEach((inst, i) => {
    const model = MODELS[i % MODELS.length] as RealModel;
    const lines = recordLinesOf(
      { ...definition, id: `t${String(i)}` },
      model,
      inst.outcomes[model],
      new Date(START + i * INTERVAL_MS).toISOString(),
    );
    const [task, ...calls] = lines as [TaskLine, ...CallLine[]];
    known.tasks.push(task);
    known.calls.push(...calls);
    memory.add(task, calls);
  });
  const now = new Date(START + instances.length * INTERVAL_MS).toISOString();
  const window = {
    now,
    days: config.learning.window_days,
    halfLifeDays: config.learning.half_life_days,
  };
  const random = seeded(1);
  const time = (learning: () => RoutingContext["learning"]): number => {
    const us: number[] = [];
    for (let k = 0; k < looks; k++) {
      const started = performance.now();
      const context = learning();
      routeTask(config, definition, {
        providers,
        registry: reg,
        ...(context ? { learning: context } : {}),
      });
      us.push((performance.now() - started) * 1000);
    }
    return median(us);
  };
  return {
    tasks: instances.length,
    fromRecords: time(() =>
      learningContext({
        records: known,
        installation: null,
        window,
        definition,
        random,
        registry: reg,
      }),
    ),
    kept: time(() => learningFrom({ own: memory, installation: [], now, definition, random })),
  };
}

/** The lines the engine appends when the task ends: its task line and its implementer's call. */
function recordLinesOf(
  d: TaskDefinition,
  model: string,
  outcome: { readonly resolved: boolean; readonly costUsd: number },
  at: string,
): RecordLine[] {
  const provider = model.split("/")[0] ?? "";
  const ok = outcome.resolved;
  const task: TaskLine = {
    v: 5,
    kind: "task",
    task: d.id,
    goal: "",
    area: d.area,
    risk: d.risk,
    complexity: d.complexity,
    models: { implementer: { model, provider } },
    outcome: ok ? "success" : "failure",
    durationMs: 0,
    costUsd: outcome.costUsd,
    steps: 1,
    retries: 0,
    escalations: 0,
    plan_review_passed: true,
    plan_review_first_pass: true,
    code_review_passed: ok,
    code_review_first_pass: ok,
    quality_gate_passed: ok,
    quality_gate_first_pass: ok,
    error: null,
    merged: null,
    survival: null,
    startedAt: at,
    finishedAt: at,
  };
  const call: CallLine = {
    v: 5,
    kind: "call",
    task: d.id,
    key: `${d.id}:implement:S1:1:implement#0`,
    area: d.area,
    risk: d.risk,
    complexity: d.complexity,
    role: "implementer",
    model,
    provider,
    effort: null,
    prompt: "implement@1",
    step: "S1",
    tokens: { noCache: 0, cacheRead: 0, cacheWrite: 0, output: 0, reasoning: 0 },
    costUsd: outcome.costUsd,
    latencyMs: 0,
    result: "answered",
    verdict: null,
    gatePassedFirstTime: ok,
    fellBack: false,
    retries: 0,
    at,
  };
  // Through the reader's own parser, as a records file would be read back.
  return [task, call].map((line) => {
    const parsed = parseRecordLine(JSON.stringify(line));
    if (!parsed) throw new Error(`not a record line: ${JSON.stringify(line)}`);
    return parsed;
  });
}

/** Value, success and cost of a list of decisions, over the tasks from `from` on. */
export function score(
  stream: readonly Instance[],
  decisions: readonly RealModel[],
  from = 0,
): { value: number; success: number; cost: number; n: number } {
  let solved = 0;
  let cost = 0;
  for (let i = from; i < stream.length; i++) {
    const o = (stream[i] as Instance).outcomes[decisions[i] as RealModel];
    solved += o.resolved ? 1 : 0;
    cost += o.costUsd;
  }
  const n = stream.length - from;
  return { value: (solved * SUCCESS_USD - cost) / n, success: solved / n, cost: cost / n, n };
}

/** Hindsight: the model whose run on this task was worth the most. */
export const oracle: Fixed = (inst) =>
  MODELS.reduce((best, m) => (worth(inst, m) > worth(inst, best) ? m : best));

const worth = (inst: Instance, m: RealModel): number =>
  (inst.outcomes[m].resolved ? SUCCESS_USD : 0) - inst.outcomes[m].costUsd;

/**
 * Per repository, the model with the best value on the other half of that repository's tasks
 * (two folds, split at random): the best a router that knows only the repository could learn.
 */
export function bestPerRepositoryOutOfSample(
  instances: readonly Instance[],
  seed: number,
): Map<string, RealModel> {
  const r = seeded(seed * 31 + 7);
  const fold = new Map(instances.map((inst) => [inst.id, r() < 0.5 ? 0 : 1]));
  const pick = new Map<string, RealModel>();
  for (const f of [0, 1]) {
    const training = instances.filter((inst) => fold.get(inst.id) !== f);
    const repos = new Set(training.map((inst) => inst.repo));
    for (const repo of repos) {
      const mine = training.filter((inst) => inst.repo === repo);
      const best = MODELS.reduce((a, b) =>
        mine.reduce((s, inst) => s + worth(inst, b), 0) >
        mine.reduce((s, inst) => s + worth(inst, a), 0)
          ? b
          : a,
      );
      for (const inst of instances)
        if (inst.repo === repo && fold.get(inst.id) === f) pick.set(inst.id, best);
    }
  }
  return pick;
}

export { MODELS as REAL_MODEL_REFS };

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return 0;
  return s.length % 2
    ? (s[(s.length - 1) / 2] ?? 0)
    : ((s[s.length / 2 - 1] ?? 0) + (s[s.length / 2] ?? 0)) / 2;
}
