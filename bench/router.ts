/**
 * Router simulator: a stream of tasks (area × risk) in a world where each model's chance of
 * success per class is known to the simulator but not to the router, priced from the dated
 * registry. Every strategy of `core/learning/adaptive.ts` is run against always-strong,
 * always-cheap, random at the learning strategy's spend, the static rule table and a hindsight
 * oracle, on the same tasks with the same random outcomes (a task a weaker model solves, a
 * stronger one solves too). Several seeds, two worlds (bench/router-world.ts). Reports success,
 * cost, cost per solved task with a $1 penalty per failure, PGR/APGR/CPT(50 %) as RouteLLM
 * defines them (with cost share in place of strong-call share: there are three models), the
 * tasks needed to adapt after a price cut and after a quality drop, and time per decision.
 * Ends with one JSON line.
 */
import { createHash } from "node:crypto";
import { modelRegistry } from "../src/config/models.ts";
import { costOf } from "../src/core/cost/prices.ts";
import { choose, type Arm } from "../src/core/learning/adaptive.ts";
import { type Strategy } from "../src/core/vocabulary/strategy.ts";
import { armsEvidence, RouterMemory } from "../src/core/learning/memory.ts";
import { CHANGE_AT, SEEDS, TASKS, WORLDS, type World } from "./router-world.ts";
import { realWorld } from "./router-real-report.ts";
import { QUICK } from "./lib/quick.ts";
import { seeded } from "../test/fakes/random.ts";

const FAILURE_PENALTY_USD = 1;
/** Arrival orders of the real-outcome world, per order (one in `bench:check`'s quick mode). */
const REAL_SEEDS = QUICK ? [1] : [1, 2, 3, 4, 5];
/** One task every five hours: the default half-life (30 days) is 144 tasks. */
const INTERVAL_MS = 5 * 3_600_000;
const START = Date.parse("2026-01-01T00:00:00.000Z");
const HALF_LIFE_DAYS = 30;
const at = (i: number): string => new Date(START + i * INTERVAL_MS).toISOString();
const TIERS: Record<string, number> = { fast: 0, standard: 1, advanced: 2 };

interface Task {
  readonly risk: string;
  readonly area: string;
  /** One uniform draw per task: a model solves it when the draw is below its success chance. */
  readonly u: number;
}

function stream(world: World, seed: number): Task[] {
  const r = seeded(seed * 7919);
  return Array.from({ length: TASKS }, () => {
    let x = r();
    const risk = world.risks.find((k) => (x -= world.riskMix[k] ?? 0) < 0) ?? "low";
    const area = world.areas[Math.floor(r() * world.areas.length)] ?? "docs";
    return { risk, area, u: r() };
  });
}

interface Change {
  /** Multiplies a model's price from CHANGE_AT on. */
  readonly priceFactor?: { readonly ref: string; readonly factor: number };
  /** Lowers a model's success from CHANGE_AT on. */
  readonly qualityDrop?: { readonly ref: string; readonly by: number };
}

interface Env {
  readonly world: World;
  readonly arms: readonly Arm[];
  cost(ref: string, i: number): number;
  /** The list price of a task on a day: the price cut is an announced one, in force from CHANGE_AT's day. */
  tableCost(ref: string, day: string): number;
  success(ref: string, t: Task, i: number): number;
}

function env(world: World, change: Change = {}): Env {
  const registry = modelRegistry();
  const arms = world.models.map((m) => {
    const info = registry.models.get(m.ref);
    if (!info) throw new Error(`${m.ref} is not in models.yaml`);
    const usage = {
      input: { noCache: m.usage.input, cacheRead: m.usage.cached, cacheWrite: 0 },
      output: m.usage.output,
    };
    return {
      id: m.ref,
      model: m.ref,
      costUsd: costOf(usage, info.price),
      tier: TIERS[info.tier] ?? 0,
    };
  });
  const changeDay = at(CHANGE_AT).slice(0, 10);
  return {
    world,
    arms,
    tableCost(ref, day) {
      const base = arms.find((a) => a.model === ref)?.costUsd ?? 0;
      return change.priceFactor?.ref === ref && day >= changeDay
        ? base * change.priceFactor.factor
        : base;
    },
    cost(ref, i) {
      const base = arms.find((a) => a.model === ref)?.costUsd ?? 0;
      return change.priceFactor?.ref === ref && i >= CHANGE_AT
        ? base * change.priceFactor.factor
        : base;
    },
    success(ref, t, i) {
      const p = world.models.find((m) => m.ref === ref)?.success[t.risk]?.[t.area] ?? 0;
      return change.qualityDrop?.ref === ref && i >= CHANGE_AT
        ? Math.max(0, p - change.qualityDrop.by)
        : p;
    },
  };
}

type Policy = (t: Task, i: number, memory: RouterMemory, random: () => number) => string;

interface Outcome {
  readonly success: number;
  readonly cost: number;
  readonly decisions: readonly string[];
  readonly solvedLate: number;
  readonly costLate: number;
  readonly msPerDecision: number;
}

/** Runs a policy over the stream, recording each outcome and its cost in the router's memory. */
function run(e: Env, tasks: readonly Task[], policy: Policy, seed: number): Outcome {
  const memory = new RouterMemory({
    halfLifeDays: HALF_LIFE_DAYS,
    tableCost: (model, _role, day) => e.tableCost(model, day),
  });
  const random = seeded(seed);
  let success = 0;
  let cost = 0;
  let solvedLate = 0;
  let costLate = 0;
  let decideMs = 0;
  const decisions: string[] = [];
  tasks.forEach((t, i) => {
    const started = performance.now();
    const model = policy(t, i, memory, random);
    decideMs += performance.now() - started;
    decisions.push(model);
    const solved = t.u < e.success(model, t, i);
    const c = e.cost(model, i);
    success += solved ? 1 : 0;
    cost += c;
    if (i >= 200) {
      solvedLate += solved ? 1 : 0;
      costLate += c;
    }
    memory.record({
      role: "implementer",
      model,
      risk: t.risk as "low" | "medium" | "high",
      area: t.area,
      won: solved,
      at: at(i),
      costUsd: c,
    });
  });
  return { success, cost, decisions, solvedLate, costLate, msPerDecision: decideMs / tasks.length };
}

function strategy(e: Env, name: Strategy, successValueUsd: number): Policy {
  return (t, i, memory, random) => {
    const risk = t.risk as "low" | "medium" | "high";
    const evidence = armsEvidence({
      own: memory,
      role: "implementer",
      risk,
      area: t.area,
      models: e.arms.map((a) => a.model),
      now: at(i),
    });
    return choose({
      role: "implementer",
      risk,
      area: t.area,
      arms: e.arms.map((a) => ({
        ...a,
        costUsd: evidence.arms.get(a.id)?.costUsd ?? e.tableCost(a.model, at(i).slice(0, 10)),
      })),
      baseline: e.world.table[t.risk] ?? e.arms[0]?.model ?? "",
      evidence,
      random,
      options: { strategy: name, successValueUsd, tierFloor: 1 },
    }).model;
  };
}

const strongest = (e: Env): string => [...e.arms].sort((a, b) => b.tier - a.tier)[0]?.model ?? "";
const cheapest = (e: Env): string =>
  [...e.arms].sort((a, b) => a.costUsd - b.costUsd)[0]?.model ?? "";

/** Hindsight: the model with the best true value of a success less its cost, per task. */
function oracle(e: Env): Policy {
  return (t, i) =>
    e.arms.reduce((best, a) =>
      e.success(a.model, t, i) * e.world.successValueUsd - e.cost(a.model, i) >
      e.success(best.model, t, i) * e.world.successValueUsd - e.cost(best.model, i)
        ? a
        : best,
    ).model;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? (s[(s.length - 1) / 2] ?? 0)
    : ((s[s.length / 2 - 1] ?? 0) + (s[s.length / 2] ?? 0)) / 2;
};

/** PGR at each cost share, from the learning strategy swept over the value of a success; APGR is the area under it, CPT(50 %) where it reaches 0.5. */
function routeLlmCurve(
  e: Env,
  tasks: readonly Task[],
  seed: number,
  weak: Outcome,
  strong: Outcome,
) {
  const points = [0.05, 0.1, 0.2, 0.4, 0.7, 1, 1.5, 2, 3, 5, 8, 13, 20, 40].map((v) => {
    const o = run(e, tasks, strategy(e, "learning", v), seed);
    const share = (o.cost - weak.cost) / (strong.cost - weak.cost);
    const pgr = (o.success - weak.success) / (strong.success - weak.success);
    return { share: Math.min(1, Math.max(0, share)), pgr: Math.min(1, Math.max(0, pgr)) };
  });
  const curve = [{ share: 0, pgr: 0 }, ...points, { share: 1, pgr: 1 }].sort(
    (a, b) => a.share - b.share,
  );
  // The best PGR reachable at or below each cost share (a router can always spend less).
  let area = 0;
  let bestSoFar = 0;
  const hull = curve.map((p) => ({
    share: p.share,
    pgr: (bestSoFar = Math.max(bestSoFar, p.pgr)),
  }));
  for (let k = 1; k < hull.length; k++) {
    const [a, b] = [hull[k - 1], hull[k]];
    if (a && b) area += ((b.share - a.share) * (a.pgr + b.pgr)) / 2;
  }
  const cpt = hull.find((p) => p.pgr >= 0.5)?.share ?? 1;
  return { apgr: area, cpt50: cpt };
}

/**
 * Tasks after CHANGE_AT until the router is back to its own level in the changed world: the
 * expected value (true success chance × value of a success − price) of its last 50 decisions,
 * as a share of the oracle's, reaches the share it had over the 100 decisions before the change
 * (less 2 points). Expected, not realised, value: near-ties between models do not count as
 * mistakes, and luck does not count as adapting. 0 when it never fell below that level.
 */
function adaptation(
  before: Env,
  after: Env,
  tasks: readonly Task[],
  decisions: readonly string[],
  oracleBefore: readonly string[],
  oracleAfter: readonly string[],
): number | null {
  const value = (e: Env, i: number, model: string): number => {
    const t = tasks[i] as Task;
    return e.success(model, t, i) * e.world.successValueUsd - e.cost(model, i);
  };
  const share = (e: Env, from: number, to: number, oracleDecisions: readonly string[]): number => {
    let mine = 0;
    let best = 0;
    for (let j = from; j < to; j++) {
      mine += value(e, j, decisions[j] ?? "");
      best += value(e, j, oracleDecisions[j] ?? "");
    }
    return best > 0 ? mine / best : 1;
  };
  const level = share(before, CHANGE_AT - 100, CHANGE_AT, oracleBefore) - 0.02;
  for (let i = CHANGE_AT + 50; i <= decisions.length; i++)
    if (share(after, i - 50, i, oracleAfter) >= level)
      return i - CHANGE_AT - 50 <= 0 ? 0 : i - CHANGE_AT;
  return null;
}

const report: Record<string, unknown>[] = [];
const goals: Record<string, boolean> = {};
const sameLog: boolean[] = [];
for (const world of WORLDS) {
  const e = env(world);
  const rows: Record<
    string,
    {
      success: number[];
      cost: number[];
      perSolved: number[];
      late: number[];
      lateCost: number[];
      ms: number[];
    }
  > = {};
  const add = (name: string, o: Outcome) => {
    const r = (rows[name] ??= {
      success: [],
      cost: [],
      perSolved: [],
      late: [],
      lateCost: [],
      ms: [],
    });
    r.success.push(o.success / TASKS);
    r.cost.push(o.cost);
    r.perSolved.push((o.cost + (TASKS - o.success) * FAILURE_PENALTY_USD) / Math.max(1, o.success));
    r.late.push(o.solvedLate / (TASKS - 200));
    r.lateCost.push(o.costLate);
    r.ms.push(o.msPerDecision);
  };
  const apgr: number[] = [];
  const cpt: number[] = [];
  const adaptPrice: (number | null)[] = [];
  const adaptQuality: (number | null)[] = [];
  for (const seed of SEEDS) {
    const tasks = stream(world, seed);
    const strong = run(e, tasks, () => strongest(e), seed);
    const weak = run(e, tasks, () => cheapest(e), seed);
    add("always-strong", strong);
    add("always-cheap", weak);
    add(
      "static table",
      run(e, tasks, (t) => world.table[t.risk] ?? strongest(e), seed),
    );
    add("oracle", run(e, tasks, oracle(e), seed));
    let learning: Outcome | null = null;
    for (const name of ["baseline", "performance", "cost", "balanced", "learning"] as const) {
      const o = run(e, tasks, strategy(e, name, world.successValueUsd), seed);
      if (name === "learning") learning = o;
      add(name, o);
    }
    // Random between strong and cheap at the learning strategy's spend.
    const l = learning as Outcome;
    const p = Math.min(1, Math.max(0, (l.cost - weak.cost) / (strong.cost - weak.cost)));
    add(
      "random (matched spend)",
      run(e, tasks, (_t, _i, _m, r) => (r() < p ? strongest(e) : cheapest(e)), seed),
    );
    sameLog.push(
      createHash("sha1").update(l.decisions.join()).digest("hex") ===
        createHash("sha1")
          .update(
            run(e, tasks, strategy(e, "learning", world.successValueUsd), seed).decisions.join(),
          )
          .digest("hex"),
    );
    const curve = routeLlmCurve(e, tasks, seed, weak, strong);
    apgr.push(curve.apgr);
    cpt.push(curve.cpt50);
    // A price cut of the mid model, and a quality drop of the cheap one, at CHANGE_AT.
    const mid = world.models[1]?.ref ?? "";
    const cheap = cheapest(e);
    const unchangedOracle = run(e, tasks, oracle(e), seed).decisions;
    for (const [change, into] of [
      [{ priceFactor: { ref: mid, factor: 0.2 } }, adaptPrice],
      [{ qualityDrop: { ref: cheap, by: 0.35 } }, adaptQuality],
    ] as const) {
      const changed = env(world, change);
      const after = run(changed, tasks, strategy(changed, "learning", world.successValueUsd), seed);
      into.push(
        adaptation(
          e,
          changed,
          tasks,
          after.decisions,
          unchangedOracle,
          run(changed, tasks, oracle(changed), seed).decisions,
        ),
      );
    }
  }
  const strongLate = median(rows["always-strong"]?.late ?? []);
  const strongLateCost = median(rows["always-strong"]?.lateCost ?? []);
  console.log(
    `\n## ${world.name}: ${world.description} (${TASKS} tasks × seeds ${SEEDS.join(", ")}; medians)`,
  );
  console.log(
    "policy                   success  cost     $/solved (+$1/failure)  after task 200: success vs strong, cost vs strong",
  );
  for (const [name, r] of Object.entries(rows))
    console.log(
      `${name.padEnd(24)} ${(median(r.success) * 100).toFixed(1).padStart(5)} %  $${median(r.cost).toFixed(2).padStart(6)}  $${median(r.perSolved).toFixed(3)}                  ${((median(r.late) / strongLate) * 100).toFixed(0).padStart(4)} %, ${((median(r.lateCost) / strongLateCost) * 100).toFixed(0).padStart(4)} %`,
    );
  const med = (xs: (number | null)[]) =>
    xs.some((x) => x === null) ? null : median(xs as number[]);
  console.log(
    `APGR ${median(apgr).toFixed(2)} · CPT(50 %) ${(median(cpt) * 100).toFixed(0)} % of the strong model's extra cost · adapt after a price cut: ${med(adaptPrice) ?? "not within the run"} task(s), after a quality drop: ${med(adaptQuality) ?? "not within the run"} task(s) · ${(median(rows["learning"]?.ms ?? []) * 1000).toFixed(1)} µs per decision`,
  );
  const qualityShare = (name: string) => median(rows[name]?.late ?? []) / strongLate;
  const costShare = (name: string) => median(rows[name]?.lateCost ?? []) / strongLateCost;
  const meets = (name: string) => qualityShare(name) >= 0.95 && costShare(name) <= 0.4;
  goals[
    `${world.name}: learning or balanced ≥ 95 % of strong's success at ≤ 40 % of its cost after 200 tasks`
  ] = meets("learning") || meets("balanced");
  goals[`${world.name}: APGR ≥ 0.6`] = median(apgr) >= 0.6;
  goals[`${world.name}: adapts within 200 tasks`] =
    adaptPrice.every((x) => x !== null && x <= 200) &&
    adaptQuality.every((x) => x !== null && x <= 200);
  goals[`${world.name}: under 5 ms per decision`] = median(rows["learning"]?.ms ?? []) < 5;
  report.push({
    world: world.name,
    policies: Object.fromEntries(
      Object.entries(rows).map(([k, r]) => [
        k,
        {
          success: median(r.success),
          costUsd: median(r.cost),
          perSolvedUsd: median(r.perSolved),
          lateSuccessVsStrong: median(r.late) / strongLate,
          lateCostVsStrong: median(r.lateCost) / strongLateCost,
        },
      ]),
    ),
    apgr: median(apgr),
    cpt50: median(cpt),
    adaptPriceCut: adaptPrice,
    adaptQualityDrop: adaptQuality,
    usPerDecision: median(rows["learning"]?.ms ?? []) * 1000,
  });
}
goals["the same seed gives an identical decision log"] = sameLog.every(Boolean);
const real = realWorld(REAL_SEEDS);
for (const line of real.lines) console.log(line);
Object.assign(goals, real.goals);
console.log("\nGoals:");
for (const [goal, met] of Object.entries(goals))
  console.log(`  ${met ? "met    " : "NOT met"}  ${goal}`);
console.log(
  JSON.stringify({
    bench: "router",
    tasks: TASKS,
    seeds: SEEDS,
    worlds: report,
    real: { seeds: REAL_SEEDS, ...real.json },
    goals,
  }),
);
