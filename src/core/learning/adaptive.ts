import type { Role } from "../cost/ledger.ts";
import type { Risk } from "../task/definition.ts";
import { weightAt, type Records, type Window } from "./analytics.ts";

export const STRATEGIES = ["baseline", "performance", "cost", "balanced", "learning"] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** A model the router may choose for a role: already allowed by every filter (cross-review, availability, breakers, budget, context). */
export interface Arm {
  readonly model: string;
  /** What it is expected to cost for this role on one task, in dollars. */
  readonly costUsd: number;
  /** Its tier's rank (higher is stronger), for the floor of high-risk tasks. */
  readonly tier: number;
}

/** Outcomes of a model in a class of tasks, weighted (a decayed count). */
export interface Evidence {
  readonly successes: number;
  readonly failures: number;
}

/** One of a model's latest outcomes, with the success its record in that class predicted. */
export interface Outcome {
  readonly won: boolean;
  readonly expected: number;
}

/** A model's latest outcomes (across classes, one role) that `gotWorse` compares with its record. */
export const DRIFT_WINDOW = 30;

/**
 * Whether a model has got worse: over its latest outcomes (at least 15), it won clearly fewer
 * than its record in each class predicted (one-sided, z > 2.33, about 1 % by chance). A drop
 * in quality shows in every class at once, so it is noticed from a few tasks in each instead of
 * waiting, class by class, for old successes to fade.
 */
export function gotWorse(latest: readonly Outcome[]): boolean {
  if (latest.length < 15) return false;
  const observed = latest.filter((o) => o.won).length;
  const expected = latest.reduce((s, o) => s + o.expected, 0);
  const variance = latest.reduce((s, o) => s + o.expected * (1 - o.expected), 0);
  return variance > 0 && (expected - observed) / Math.sqrt(variance) > 2.33;
}

export interface AdaptiveOptions {
  readonly strategy: Strategy;
  /** Chance of trying another arm than the best, before confidence lowers it (default 0.05). */
  readonly explorationRate?: number;
  /** Strength of the prior from the rule table, in tasks: history outweighs it after this many (default 5). */
  readonly priorWeight?: number;
  /** Success the rule table's own choice is assumed to have before any history (default 0.7; others 0.5). */
  readonly baselinePrior?: number;
  /** `cost`: the least success a model must be expected to have (default 0.8). */
  readonly qualityFloor?: number;
  /** `balanced` and `learning`: what one successful task is worth, in dollars (default 1). */
  readonly successValueUsd?: number;
  /** High-risk tasks never go to an arm below this tier rank, exploring or not. */
  readonly tierFloor?: number;
  /** Installation-wide evidence counts as this many tasks at most for a repository (default 10). */
  readonly shrinkage?: number;
}

export interface Choice {
  readonly model: string;
  readonly strategy: Strategy;
  /** How sure the choice is: the evidence behind it against the prior (0 to 1). */
  readonly confidence: number;
  readonly explored: boolean;
  readonly rationale: string;
}

export interface ChooseInput {
  readonly role: Role;
  readonly risk: Risk;
  readonly area: string;
  readonly arms: readonly Arm[];
  /** The rule table's choice (itself one of the arms, or the first arm). */
  readonly baseline: string;
  /** This repository's evidence per model in this class. */
  readonly repository: ReadonlyMap<string, Evidence>;
  /** Models that got worse (`gotWorse`), with their latest outcomes: only those count for them. */
  readonly drifted?: ReadonlyMap<string, Evidence>;
  /** The installation's evidence (all its repositories), pooled in with shrinkage. */
  readonly installation?: ReadonlyMap<string, Evidence>;
  /** A source of uniform numbers in [0, 1): seeded for a reproducible decision log. */
  readonly random: () => number;
  readonly options: AdaptiveOptions;
}

interface Posterior {
  readonly arm: Arm;
  readonly alpha: number;
  readonly beta: number;
  readonly mean: number;
  readonly n: number;
}

/**
 * Chooses a model for one role of one task. Pure: the same input (and random source) gives the
 * same choice. Each arm's success is a Beta posterior: a prior from the rule table (its own
 * choice starts higher) at a capped weight, plus the repository's evidence, plus the
 * installation's shrunk towards the repository as the repository's own evidence grows.
 */
export function choose(input: ChooseInput): Choice {
  const o = input.options;
  const floor = input.risk === "high" && o.tierFloor !== undefined ? o.tierFloor : -Infinity;
  const allowed = input.arms.filter((a) => a.tier >= floor);
  const arms = allowed.length > 0 ? allowed : input.arms;
  const baseline = arms.find((a) => a.model === input.baseline) ?? arms[0];
  if (!baseline) throw new Error(`no model to choose from for ${input.role}`);
  const posteriors = arms.map((arm) => posterior(arm, input, arm === baseline));
  const evidence = posteriors.reduce((s, p) => s + p.n, 0);
  const weight = o.priorWeight ?? 5;
  const confidence = evidence / (evidence + weight * arms.length);
  const value = o.successValueUsd ?? 1;
  const pick = (p: Posterior, why: string, explored = false): Choice => ({
    model: p.arm.model,
    strategy: o.strategy,
    confidence: round(confidence),
    explored,
    rationale: `${o.strategy}: ${why} (expected success ${pct(p.mean)} from ${p.n.toFixed(1)} task(s), $${p.arm.costUsd.toFixed(4)} per task)`,
  });
  const best = (score: (p: Posterior) => number): Posterior =>
    posteriors.reduce((a, b) => (score(b) > score(a) ? b : a));
  switch (o.strategy) {
    case "baseline":
      return pick(
        posteriors[arms.indexOf(baseline)] ?? (posteriors[0] as Posterior),
        "the rule table's choice",
      );
    case "performance":
      return pick(
        best((p) => p.mean),
        "the highest expected success",
      );
    case "cost": {
      const good = posteriors.filter((p) => p.mean >= (o.qualityFloor ?? 0.8));
      if (good.length === 0)
        return pick(
          best((p) => p.mean),
          "no model meets the quality floor: the best one",
        );
      return pick(
        good.reduce((a, b) => (b.arm.costUsd < a.arm.costUsd ? b : a)),
        `the cheapest expected to succeed at least ${pct(o.qualityFloor ?? 0.8)}`,
      );
    }
    case "balanced":
      return pick(
        best((p) => p.mean * value - p.arm.costUsd),
        `the best expected value of a success at $${value} less its cost`,
      );
    case "learning": {
      // Exploration shrinks as confidence grows; never below the tier floor (already applied).
      const rate = (o.explorationRate ?? 0.05) * (1 - confidence);
      if (arms.length > 1 && input.random() < rate) {
        const others = posteriors.filter((p) => p.arm !== baseline);
        const tried = others[Math.floor(input.random() * others.length)] ?? posteriors[0];
        return pick(tried as Posterior, `explored (chance ${pct(rate)})`, true);
      }
      const sampled = posteriors.map((p) => ({
        p,
        score: sampleBeta(p.alpha, p.beta, input.random) * value - p.arm.costUsd,
      }));
      const top = sampled.reduce((a, b) => (b.score > a.score ? b : a));
      return pick(top.p, "Thompson sampling on the value of a success less the cost");
    }
  }
}

function posterior(arm: Arm, input: ChooseInput, isBaseline: boolean): Posterior {
  const o = input.options;
  const weight = o.priorWeight ?? 5;
  const prior = isBaseline ? (o.baselinePrior ?? 0.7) : 0.5;
  const none = { successes: 0, failures: 0 };
  const drifted = input.drifted?.get(arm.model);
  const own = drifted ?? input.repository.get(arm.model) ?? none;
  const pooled = drifted ? none : (input.installation?.get(arm.model) ?? none);
  const ownN = own.successes + own.failures;
  const pooledN = pooled.successes + pooled.failures;
  // The installation's experience counts for at most `shrinkage` tasks, less as this repository learns.
  const k = o.shrinkage ?? 10;
  const share = pooledN > 0 ? Math.min(1, k / (k + ownN)) * Math.min(1, k / pooledN) : 0;
  const successes = own.successes + pooled.successes * share;
  const failures = own.failures + pooled.failures * share;
  const alpha = prior * weight + successes;
  const beta = (1 - prior) * weight + failures;
  return { arm, alpha, beta, mean: alpha / (alpha + beta), n: successes + failures };
}

/** The evidence of the records: per model, the weighted successes and failures of tasks where it served `role` in this class. */
export function evidenceFrom(
  records: Records,
  w: Window,
  cls: { readonly role: Role; readonly risk: Risk; readonly area: string },
): Map<string, Evidence> {
  const evidence = new Map<string, { successes: number; failures: number }>();
  for (const t of records.tasks) {
    if (t.risk !== cls.risk || t.area !== cls.area) continue;
    const model = t.models[cls.role]?.model;
    const weight = weightAt(t.finishedAt, w);
    if (!model || weight === 0 || t.outcome === "cancelled") continue;
    const e = evidence.get(model) ?? { successes: 0, failures: 0 };
    if (t.outcome === "success") e.successes += weight;
    else e.failures += weight;
    evidence.set(model, e);
  }
  return evidence;
}

/**
 * Models whose latest outcomes in `role` (across classes) fell clearly below what their record
 * predicted, with those outcomes, read from the records oldest first: each outcome is compared
 * with the model's weighted success in that class before it.
 */
export function driftedModels(records: Records, w: Window, role: Role): Map<string, Evidence> {
  const byClass = new Map<string, Evidence>();
  const latest = new Map<string, Outcome[]>();
  const oldestFirst = [...records.tasks].sort((a, b) => a.finishedAt.localeCompare(b.finishedAt));
  for (const t of oldestFirst) {
    const model = t.models[role]?.model;
    const weight = weightAt(t.finishedAt, w);
    if (!model || weight === 0 || t.outcome === "cancelled") continue;
    const won = t.outcome === "success";
    const key = `${t.risk}/${t.area}/${model}`;
    const record = byClass.get(key) ?? { successes: 0, failures: 0 };
    remember(latest, model, won, record);
    byClass.set(key, {
      successes: record.successes + (won ? weight : 0),
      failures: record.failures + (won ? 0 : weight),
    });
  }
  return drifted(latest);
}

/**
 * Adds an outcome to a model's latest (at most `DRIFT_WINDOW`), with the success its record in
 * that class predicted before it; an outcome counts once the class has a record (3 tasks).
 */
export function remember(
  latest: Map<string, Outcome[]>,
  model: string,
  won: boolean,
  record: Evidence,
): void {
  const n = record.successes + record.failures;
  if (n < 3) return;
  const expected = (record.successes + 1) / (n + 2);
  latest.set(model, [...(latest.get(model) ?? []), { won, expected }].slice(-DRIFT_WINDOW));
}

/** The models whose latest outcomes show they got worse, with those outcomes as their evidence. */
export function drifted(latest: ReadonlyMap<string, readonly Outcome[]>): Map<string, Evidence> {
  const found = new Map<string, Evidence>();
  for (const [model, outcomes] of latest)
    if (gotWorse(outcomes)) {
      const won = outcomes.filter((o) => o.won).length;
      found.set(model, { successes: won, failures: outcomes.length - won });
    }
  return found;
}

/** A Beta(α, β) draw: the ratio of two Gamma draws (Marsaglia and Tsang, 2000). */
export function sampleBeta(alpha: number, beta: number, random: () => number): number {
  const x = sampleGamma(alpha, random);
  const y = sampleGamma(beta, random);
  return x + y === 0 ? 0.5 : x / (x + y);
}

function sampleGamma(shape: number, random: () => number): number {
  if (shape < 1) return sampleGamma(shape + 1, random) * random() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v)))
      return d * v;
  }
}

/** A standard normal draw (Box–Muller). */
function normal(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
const pct = (x: number): string => `${Math.round(x * 100)} %`;
