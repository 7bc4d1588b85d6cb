/**
 * Runs every policy on the real-outcome world (bench/router-real.ts) in both arrival orders and
 * several seeds, and reports value (a success worth $100, less its cost), success and cost per
 * task after the first 200 tasks, APGR, and the goals of issue 20.
 */
import type { Strategy } from "../src/core/vocabulary/strategy.ts";
import {
  bestPerRepositoryOutOfSample,
  byRepositoryOrder,
  decisionTime,
  loadInstances,
  median,
  oracle,
  REAL_MODEL_REFS,
  realConfig,
  routeStream,
  score,
  shuffledOrder,
  SUCCESS_USD,
  WARM_UP,
  type Instance,
  type RealModel,
} from "./router-real.ts";
import { seeded } from "../test/fakes/random.ts";
import { QUICK } from "./lib/quick.ts";

const ORDERS = {
  shuffled: shuffledOrder,
  "by repository": byRepositoryOrder,
} as const;
const STRATEGIES: readonly Strategy[] = ["baseline", "performance", "cost", "balanced", "learning"];
/** The values of a success the APGR curve sweeps (the router's trade-off, not the world's). */
const SWEEP = QUICK ? [30, 100, 400] : [5, 15, 30, 50, 100, 200, 400, 1000];

interface Row {
  value: number[];
  success: number[];
  cost: number[];
}

export interface RealReport {
  readonly lines: readonly string[];
  readonly json: Record<string, unknown>;
  readonly goals: Record<string, boolean>;
}

export function realWorld(seeds: readonly number[]): RealReport {
  const instances = loadInstances();
  const lines: string[] = [];
  const json: Record<string, unknown> = {};
  const goals: Record<string, boolean> = {};
  const cheapest = REAL_MODEL_REFS.reduce((a, b) =>
    meanCost(instances, b) < meanCost(instances, a) ? b : a,
  );
  const strongest = REAL_MODEL_REFS.reduce((a, b) =>
    rate(instances, b) > rate(instances, a) ? b : a,
  );
  lines.push(
    `\n## real: SWE-Bench Pro public, ${instances.length} instances of ${new Set(instances.map((i) => i.repo)).size} repositories, ${REAL_MODEL_REFS.length} models (bench/data/README.md); a success is worth $${SUCCESS_USD}; seeds ${seeds.join(", ")}; medians`,
  );
  for (const m of REAL_MODEL_REFS)
    lines.push(
      `  ${m.padEnd(28)} resolves ${(rate(instances, m) * 100).toFixed(1)} % at $${meanCost(instances, m).toFixed(2)} per task`,
    );
  const apart = tasksToTellApart(instances);
  lines.push(
    `  telling ${apart.best} from ${apart.next} by value (they differ by $${apart.gapUsd.toFixed(2)} a task, one task's value varies by $${apart.sdUsd.toFixed(0)}) takes about ${String(apart.tasksEach)} tasks of each at two standard errors, against ${String(instances.length)} in the world`,
  );
  json["tasksToTellApart"] = apart;
  for (const [orderName, order] of Object.entries(ORDERS)) {
    const rows: Record<string, Row> = {};
    const add = (name: string, s: ReturnType<typeof score>) => {
      const r = (rows[name] ??= { value: [], success: [], cost: [] });
      r.value.push(s.value);
      r.success.push(s.success);
      r.cost.push(s.cost);
    };
    const belowRandom: string[] = [];
    const apgr: Record<string, number[]> = { learning: [], balanced: [] };
    const us: number[] = [];
    for (const seed of seeds) {
      const stream = order(instances, seed);
      const fixed = (f: (inst: Instance, i: number) => RealModel) => stream.map(f);
      for (const m of REAL_MODEL_REFS)
        add(
          `always ${m}`,
          score(
            stream,
            fixed(() => m),
            WARM_UP,
          ),
        );
      const perRepo = bestPerRepositoryOutOfSample(instances, seed);
      add(
        "best per repository (out of sample)",
        score(
          stream,
          fixed((inst) => perRepo.get(inst.id) ?? cheapest),
          WARM_UP,
        ),
      );
      add("oracle (per task)", score(stream, fixed(oracle), WARM_UP));
      const weak = score(
        stream,
        fixed(() => cheapest),
        WARM_UP,
      );
      const strong = score(
        stream,
        fixed(() => strongest),
        WARM_UP,
      );
      for (const strategy of STRATEGIES) {
        const run = routeStream(stream, realConfig(strategy), seed);
        us.push(run.usPerDecision);
        const mine = score(stream, run.decisions, WARM_UP);
        add(strategy, mine);
        if (strategy === "learning" || strategy === "balanced") {
          // Random between the cheapest and the strongest model at this strategy's spend.
          const p = clamp((mine.cost - weak.cost) / (strong.cost - weak.cost));
          const r = seeded(seed * 13 + 5);
          const random = score(
            stream,
            fixed(() => (r() < p ? strongest : cheapest)),
            WARM_UP,
          );
          add(`random at ${strategy}'s spend`, random);
          if (mine.value < random.value) belowRandom.push(`${strategy} seed ${String(seed)}`);
        }
      }
      for (const strategy of ["learning", "balanced"] as const) {
        const points = SWEEP.map((v) => {
          const s = score(
            stream,
            routeStream(stream, realConfig(strategy, v), seed).decisions,
            WARM_UP,
          );
          return {
            share: clamp((s.cost - weak.cost) / (strong.cost - weak.cost)),
            pgr: clamp((s.success - weak.success) / (strong.success - weak.success)),
          };
        });
        apgr[strategy]?.push(areaUnder(points));
      }
    }
    const fixedValues = REAL_MODEL_REFS.map((m) => median(rows[`always ${m}`]?.value ?? []));
    const bestFixed = Math.max(...fixedValues);
    lines.push(`\n### ${orderName} (after task ${String(WARM_UP)}: per task)`);
    lines.push("policy                                   value    success   cost");
    for (const [name, r] of Object.entries(rows))
      lines.push(
        `${name.padEnd(40)} $${median(r.value).toFixed(2).padStart(6)}  ${(median(r.success) * 100).toFixed(1).padStart(5)} %  $${median(r.cost).toFixed(2).padStart(5)}`,
      );
    const fixedCurve = areaUnder(
      REAL_MODEL_REFS.map((m) => {
        const r = rows[`always ${m}`];
        const w = rows[`always ${cheapest}`];
        const s = rows[`always ${strongest}`];
        if (!r || !w || !s) return { share: 0, pgr: 0 };
        return {
          share: clamp((median(r.cost) - median(w.cost)) / (median(s.cost) - median(w.cost))),
          pgr: clamp(
            (median(r.success) - median(w.success)) / (median(s.success) - median(w.success)),
          ),
        };
      }),
    );
    lines.push(
      `APGR: learning ${median(apgr["learning"] ?? []).toFixed(2)}, balanced ${median(apgr["balanced"] ?? []).toFixed(2)}, the fixed models ${fixedCurve.toFixed(2)} · ${median(us).toFixed(0)} µs per routeTask · below random at matched spend: ${belowRandom.join(", ") || "never"}`,
    );
    for (const strategy of ["learning", "balanced"] as const)
      goals[
        `real (${orderName}): ${strategy} at least matches the best fixed model by value after ${String(WARM_UP)} tasks`
      ] = median(rows[strategy]?.value ?? []) >= bestFixed;
    goals[`real (${orderName}): learning and balanced never below random at matched spend`] =
      belowRandom.length === 0;
    goals[`real (${orderName}): APGR ≥ 0.7`] = median(apgr["learning"] ?? []) >= 0.7;
    json[orderName] = {
      policies: Object.fromEntries(
        Object.entries(rows).map(([k, r]) => [
          k,
          { value: median(r.value), success: median(r.success), costUsd: median(r.cost) },
        ]),
      ),
      apgr: {
        learning: median(apgr["learning"] ?? []),
        balanced: median(apgr["balanced"] ?? []),
        fixed: fixedCurve,
      },
      belowRandom,
      usPerDecision: median(us),
    };
  }
  const timing = decisionTime(instances, QUICK ? 20 : 200);
  lines.push(
    `\nPer decision with all ${String(timing.tasks)} tasks in one repository's records: ${timing.fromRecords.toFixed(0)} µs read from the records (the engine's start), ${timing.kept.toFixed(0)} µs from aggregates kept up to date`,
  );
  json["usPerDecision"] = timing;
  return { lines, json, goals };
}

/**
 * How many tasks of each of the two best fixed models (by value over the whole world) a router
 * needs before the difference of their mean values is two standard errors: what learning from
 * outcomes alone must pay before it can know the best model.
 */
function tasksToTellApart(instances: readonly Instance[]): {
  best: RealModel;
  next: RealModel;
  gapUsd: number;
  sdUsd: number;
  tasksEach: number;
} {
  const values = (m: RealModel) =>
    instances.map((i) => (i.outcomes[m].resolved ? SUCCESS_USD : 0) - i.outcomes[m].costUsd);
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = (xs: readonly number[]) => {
    const mu = mean(xs);
    return Math.sqrt(xs.reduce((a, x) => a + (x - mu) ** 2, 0) / (xs.length - 1));
  };
  const [best, next] = [...REAL_MODEL_REFS].sort((a, b) => mean(values(b)) - mean(values(a)));
  if (!best || !next) throw new Error("the world needs two models");
  const gapUsd = mean(values(best)) - mean(values(next));
  const sdUsd = Math.sqrt((sd(values(best)) ** 2 + sd(values(next)) ** 2) / 2);
  return { best, next, gapUsd, sdUsd, tasksEach: Math.ceil(2 * ((2 * sdUsd) / gapUsd) ** 2) };
}

const clamp = (x: number): number => Math.min(1, Math.max(0, Number.isFinite(x) ? x : 0));
const rate = (xs: readonly Instance[], m: RealModel): number =>
  xs.filter((i) => i.outcomes[m].resolved).length / xs.length;
const meanCost = (xs: readonly Instance[], m: RealModel): number =>
  xs.reduce((s, i) => s + i.outcomes[m].costUsd, 0) / xs.length;

/** RouteLLM's APGR: the area under the best PGR reachable at or below each cost share. */
function areaUnder(points: readonly { share: number; pgr: number }[]): number {
  const curve = [{ share: 0, pgr: 0 }, ...points, { share: 1, pgr: 1 }].sort(
    (a, b) => a.share - b.share,
  );
  let best = 0;
  const hull = curve.map((p) => ({ share: p.share, pgr: (best = Math.max(best, p.pgr)) }));
  let area = 0;
  for (let k = 1; k < hull.length; k++) {
    const [a, b] = [hull[k - 1], hull[k]];
    if (a && b) area += ((b.share - a.share) * (a.pgr + b.pgr)) / 2;
  }
  return area;
}
