import type { Effort } from "../vocabulary/effort.ts";
import type { Role } from "../vocabulary/roles.ts";
import type { Risk } from "../vocabulary/task-class.ts";
import type { Records, Window } from "./analytics.ts";
import { RouterMemory, type ArmEvidence, type ArmsEvidence, type Evidence } from "./memory.ts";
import type { Strategy } from "../vocabulary/strategy.ts";

export type { Evidence } from "./memory.ts";

/**
 * What the router may choose for a role: already allowed by every filter (cross-review,
 * availability, breakers, budget, context). An arm is a model today; evidence is kept under its
 * `id`, so an arm can become a (model, effort) pair without changing how it is learnt.
 */
export interface Arm {
  /** The key its evidence is kept under: the model reference today. */
  readonly id: string;
  readonly model: string;
  /** The effort level of a (model, effort) arm; absent: the model's default or none. */
  readonly effort?: Effort;
  /** What it is expected to cost for this role on one task, in dollars. */
  readonly costUsd: number;
  /** Its tier's rank (higher is stronger): the prior and the floor of high-risk tasks. */
  readonly tier: number;
}

export interface AdaptiveOptions {
  readonly strategy: Strategy;
  /** `learning`: chance of trying an arm that could still be the best, before confidence lowers it (default 0.05). */
  readonly explorationRate?: number;
  /** Strength of the prior (tier and the rule table), in tasks (default 5). */
  readonly priorWeight?: number;
  /** `cost`: the share of the best arm's expected success a cheaper arm must reach (default 0.9). */
  readonly qualityFloor?: number;
  /** `balanced` and `learning`: what one successful task is worth, in dollars (default 1). */
  readonly successValueUsd?: number;
  /** High-risk tasks never go to an arm below this tier rank, exploring or not. */
  readonly tierFloor?: number;
}

export interface Choice {
  readonly model: string;
  /** The chosen arm's effort level, for a (model, effort) arm. */
  readonly effort?: Effort;
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
  /** The rule table's choice (an arm id; the first arm when it is not one). */
  readonly baseline: string;
  /** What the records say about the arms (`armsEvidence`); none: the prior alone. */
  readonly evidence?: ArmsEvidence;
  /** A source of uniform numbers in [0, 1): seeded for a reproducible decision log. */
  readonly random: () => number;
  readonly options: AdaptiveOptions;
}

/** A tier up is worth this much expected success before any record. */
const TIER_STEP = 0.05;
/** The rule table's choice leads the prior by this much: without records the table decides. */
const TABLE_LEAD = 0.02;

interface Posterior {
  readonly arm: Arm;
  readonly alpha: number;
  readonly beta: number;
  readonly mean: number;
  /** Tasks of evidence (this class, elsewhere here, the installation). */
  readonly n: number;
  readonly costTasks: number;
}

const NONE: Evidence = { successes: 0, failures: 0 };
const total = (e: Evidence): number => e.successes + e.failures;

/**
 * Chooses a model for one role of one task. Pure: the same input (and random source) gives the
 * same choice. Each arm's success is a Beta posterior in two levels: the model's record
 * everywhere but this class (this repository's other classes and the installation), on a prior
 * from what is known before any record (the candidates' pooled success, a step per tier, the
 * rule table's choice first); then this class, starting from that record moved by the class's
 * shift (every candidate's), at the strength the evidence says classes deserve.
 */
export function choose(input: ChooseInput): Choice {
  const o = input.options;
  const floor = input.risk === "high" && o.tierFloor !== undefined ? o.tierFloor : -Infinity;
  const allowed = input.arms.filter((a) => a.tier >= floor);
  const arms = allowed.length > 0 ? allowed : input.arms;
  const baseline = arms.find((a) => a.id === input.baseline) ?? arms[0];
  if (!baseline) throw new Error(`no model to choose from for ${input.role}`);
  const weight = o.priorWeight ?? 5;
  const priors = priorMeans(arms, baseline, input.evidence);
  const posteriors = arms.map((arm) =>
    posterior(arm, input.evidence?.arms.get(arm.id), priors.get(arm.id) ?? 0.5, weight, {
      shift: input.evidence?.classShift ?? 0,
      strength: input.evidence?.classStrength ?? 20,
    }),
  );
  const evidence = posteriors.reduce((s, p) => s + p.n, 0);
  const confidence = evidence / (evidence + weight * arms.length);
  const value = o.successValueUsd ?? 1;
  const pick = (p: Posterior, why: string, explored = false): Choice => ({
    model: p.arm.model,
    ...(p.arm.effort ? { effort: p.arm.effort } : {}),
    strategy: o.strategy,
    confidence: round(confidence),
    explored,
    rationale: `${o.strategy}: ${why} (expected success ${pct(p.mean)} from ${p.n.toFixed(1)} task(s), $${p.arm.costUsd.toFixed(4)} per task ${p.costTasks > 0 ? `as recorded in ${p.costTasks.toFixed(1)} task(s)` : "at list price"})`,
  });
  const best = (score: (p: Posterior) => number): Posterior =>
    posteriors.reduce((a, b) => (score(b) > score(a) ? b : a));
  const expectedValue = (p: Posterior): number => p.mean * value - p.arm.costUsd;
  /** The other arms whose value at the top of their 95 % interval reaches the leader's expected value. */
  const couldBeBest = (leader: Posterior): Posterior[] =>
    posteriors.filter(
      (p) => p !== leader && upper(p) * value - p.arm.costUsd >= expectedValue(leader),
    );
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
      const top = best((p) => p.mean);
      const share = o.qualityFloor ?? 0.9;
      const good = posteriors.filter((p) => p.mean >= share * top.mean);
      const cheapest = good.reduce((a, b) =>
        b.arm.costUsd < a.arm.costUsd || (b.arm.costUsd === a.arm.costUsd && b.mean > a.mean)
          ? b
          : a,
      );
      return pick(
        cheapest,
        `the cheapest expected to succeed at least ${pct(share)} as often as the best (${top.arm.model}, ${pct(top.mean)}): floor ${pct(share * top.mean)}`,
      );
    }
    case "balanced": {
      // Greedy on expected value, with optimism where it can still pay: an arm that could still
      // be the best is scored one standard deviation above its expected success. The bonus
      // shrinks as its evidence grows and is gone once the arm is credibly worse than the
      // leader, so exploration ends; without it the first arm to look good is never left.
      const leader = best(expectedValue);
      const plausible = couldBeBest(leader);
      const bonus = (p: Posterior): number =>
        p === leader || plausible.includes(p) ? spread(p) * value : 0;
      const chosen = best((p) => expectedValue(p) + bonus(p));
      return pick(
        chosen,
        `the best expected value of a success at $${value} less its cost${
          plausible.length === 0
            ? "; exploration ended, every other arm is credibly worse"
            : chosen === leader
              ? ""
              : `, counting one standard deviation of optimism for an arm that could still be the best (the leader is ${leader.arm.model})`
        }`,
        chosen !== leader,
      );
    }
    case "learning": {
      // Only an arm that could still be the best is worth trying: once every other arm is
      // credibly worse, exploration ends, and an arm ruled out is not drawn again either.
      const leader = best(expectedValue);
      const plausible = couldBeBest(leader);
      const rate = (o.explorationRate ?? 0.05) * (1 - confidence);
      if (plausible.length > 0 && input.random() < rate) {
        const tried = plausible[Math.floor(input.random() * plausible.length)] ?? leader;
        return pick(
          tried,
          `explored one of ${plausible.length} arm(s) that could still be the best (chance ${pct(rate)})`,
          true,
        );
      }
      if (plausible.length === 0)
        return pick(
          leader,
          `the best expected value of a success at $${value} less the cost; exploration ended, every other arm is credibly worse`,
        );
      const sampled = [leader, ...plausible].map((p) => ({
        p,
        score: sampleBeta(p.alpha, p.beta, input.random) * value - p.arm.costUsd,
      }));
      const top = sampled.reduce((a, b) => (b.score > a.score ? b : a));
      return pick(
        top.p,
        `Thompson sampling on the value of a success at $${value} less the cost, among the leader and ${plausible.length} other arm(s) that could still be the best${
          posteriors.length > plausible.length + 1
            ? ` (${posteriors.length - plausible.length - 1} ruled out)`
            : ""
        }`,
      );
    }
  }
}

/**
 * Expected success before this class's records: the candidates' pooled success (one success
 * and one failure added; half when nothing is known), a step per tier from their mean tier, and
 * the rule table's choice ahead of every other.
 */
function priorMeans(
  arms: readonly Arm[],
  baseline: Arm,
  evidence: ArmsEvidence | undefined,
): Map<string, number> {
  let successes = 0;
  let n = 0;
  for (const arm of arms) {
    const e = evidence?.arms.get(arm.id);
    for (const part of e ? [e.inClass, e.elsewhere, e.installation] : []) {
      successes += part.successes;
      n += total(part);
    }
  }
  const base = (successes + 1) / (n + 2);
  const meanTier = arms.reduce((s, a) => s + a.tier, 0) / arms.length;
  const means = new Map(arms.map((a) => [a.id, clamp(base + TIER_STEP * (a.tier - meanTier))]));
  const lead = Math.max(...[...means.values()]);
  means.set(baseline.id, clamp(Math.max(means.get(baseline.id) ?? 0, lead + TABLE_LEAD)));
  return means;
}

function posterior(
  arm: Arm,
  e: ArmEvidence | undefined,
  prior: number,
  weight: number,
  cls: { readonly shift: number; readonly strength: number },
): Posterior {
  const inClass = e?.inClass ?? NONE;
  const elsewhere: Evidence = {
    successes: (e?.elsewhere.successes ?? 0) + (e?.installation.successes ?? 0),
    failures: (e?.elsewhere.failures ?? 0) + (e?.installation.failures ?? 0),
  };
  // The model's record outside this class, on the prior.
  const n1 = weight + total(elsewhere);
  const overall = clamp((prior * weight + elsewhere.successes) / n1 + cls.shift);
  // This class starts from it (shifted as the class shifts every model), at most as strong as
  // the record is itself.
  const strength = 1 / (1 / cls.strength + 1 / n1);
  const alpha = overall * strength + inClass.successes;
  const beta = (1 - overall) * strength + inClass.failures;
  return {
    arm,
    alpha,
    beta,
    mean: alpha / (alpha + beta),
    n: total(inClass) + total(elsewhere),
    costTasks: e?.costTasks ?? 0,
  };
}

/** The standard deviation of an arm's success (its Beta's). */
function spread(p: Posterior): number {
  const s = p.alpha + p.beta;
  return Math.sqrt((p.alpha * p.beta) / (s * s * (s + 1)));
}

/** The upper end of a 95 % interval of an arm's success (normal approximation of its Beta). */
function upper(p: Posterior): number {
  return Math.min(1, p.mean + 1.96 * spread(p));
}

/**
 * Models whose latest outcomes in `role` (across classes) fell clearly below their own earlier
 * outcomes (`gotWorse`), with those latest outcomes.
 */
export function driftedModels(records: Records, w: Window, role: Role): Map<string, Evidence> {
  const memory = RouterMemory.from(records, w, { tableCost: () => undefined });
  const found = new Map<string, Evidence>();
  for (const model of memory.modelsOf(role))
    if (memory.drifted(role, model)) {
      const recent = memory.recent(role, model);
      const won = recent.filter((o) => o.won).length;
      found.set(model, { successes: won, failures: recent.length - won });
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

const clamp = (x: number): number => Math.min(0.98, Math.max(0.02, x));
const round = (x: number): number => Math.round(x * 1000) / 1000;
const pct = (x: number): string => `${Math.round(x * 100)} %`;
