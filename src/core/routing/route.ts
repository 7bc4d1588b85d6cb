import { underlyingModel } from "../models/agents.ts";
import { InvalidInputError, type Problem } from "../errors.ts";
import type { TaskDefinition } from "../task/definition.ts";
import {
  findModels,
  tierRank,
  type Capability,
  type ModelInfo,
  type ModelRegistry,
} from "../models/registry.ts";
import type { RoutingConfig, RoutingRule } from "./rules.ts";
import { Effort } from "../vocabulary/effort.ts";
import { effortFor, wantedEffort } from "./effort.ts";
import { effortRank } from "../vocabulary/effort.ts";
import { levelArm } from "../learning/arms.ts";
import { effortOutputFactor } from "../cost/estimate.ts";
import {
  choose,
  type AdaptiveOptions,
  type Choice,
  type ChooseInput,
} from "../learning/adaptive.ts";
import type { RouterLearning } from "../learning/routing-context.ts";
import { tableCost } from "../cost/role-usage.ts";
import type { RoutedRole } from "../vocabulary/roles.ts";
import type { RoutingDecision, StepRouting, TaskRouting } from "../vocabulary/routing-decision.ts";

/** The key of a step class: `<risk>/<complexity>`. */
export const stepClass = (step: { risk: string; complexity: string }): string =>
  `${step.risk}/${step.complexity}`;

/** What the host can actually call. */
export interface RoutingContext {
  /** Providers that are configured (their keys or servers are set). */
  readonly providers: ReadonlySet<string>;
  /** Known models with their prices; others are refused. */
  readonly registry: ModelRegistry;
  /** Models that may not be chosen now, with the reason (an open circuit breaker). */
  readonly unavailable?: ReadonlyMap<string, string>;
  /** What the records say, for a strategy other than `baseline`; without it the rule table decides. */
  readonly learning?: RouterLearning;
}

/**
 * Picks among the usable candidates (already in the rule's order, every filter applied) with the
 * configured strategy; the first is the rule table's choice and the prior's favourite. High-risk
 * tasks never go to a lower tier than that choice.
 */
function adapt(
  config: RoutingConfig,
  role: RoutedRole,
  task: TaskDefinition,
  ordered: readonly string[],
  context: RoutingContext,
): { model: string; effort?: Effort; note: string } | null {
  const learning = context.learning;
  if (config.strategy === "baseline" || !learning || ordered.length < 2) return null;
  const known = ordered.filter((ref) => context.registry.models.has(ref));
  const evidence = learning.evidence(role, known);
  const arms = known.flatMap((ref) => {
    const info = context.registry.models.get(ref);
    if (!info) return [];
    const costUsd = evidence.arms.get(ref)?.costUsd ?? tableCost(info.price, role);
    return [{ id: ref, model: ref, costUsd, tier: tierRank(info.tier) }];
  });
  const baseline = arms[0];
  if (!baseline) return null;
  const l = config.learning;
  const options: AdaptiveOptions = {
    strategy: config.strategy,
    explorationRate: l.exploration_rate,
    priorWeight: l.prior_weight,
    successValueUsd: l.success_value_usd,
    qualityFloor: l.quality_floor,
    tierFloor: baseline.tier,
  };
  const input = { role, risk: task.risk, area: task.area, random: learning.random, options };
  const choice = choose({ ...input, arms, baseline: baseline.id, evidence });
  const note = (c: Choice) =>
    `${c.rationale}, confidence ${c.confidence}${c.explored ? ", exploring" : ""}`;
  const level = chooseLevel(role, task, context.registry.models.get(choice.model), input, learning);
  return {
    model: choice.model,
    ...(level?.learned ? { effort: level.learned } : {}),
    note: `; ${note(choice)}${level ? `; effort: ${note(level.choice)}` : ""}`,
  };
}

/**
 * The second choice, for a model that offers effort: which of its levels, between the one the
 * rules want (the baseline) and its neighbours, each an arm with the evidence of the calls that
 * ran there (`levelArm`). A high-risk task never goes below the level the rules want. Null, and
 * the rules' level stands, when the model has no levels or the records hold fewer than two of
 * these level arms: the router does not pay to explore levels, the rules' own spread of levels
 * over steps and classes (`wantedEffort`) gives it the evidence.
 */
function chooseLevel(
  role: RoutedRole,
  task: TaskDefinition,
  info: ModelInfo | undefined,
  input: Omit<ChooseInput, "arms" | "baseline" | "evidence">,
  learning: NonNullable<RoutingContext["learning"]>,
): { choice: Choice; learned?: Effort } | null {
  const near = info ? effortFor(info, wantedEffort(role, task).effort) : undefined;
  if (!info || !near) return null;
  const levels = (info.effort?.levels ?? []).filter((l) => {
    const d = effortRank(l) - effortRank(near);
    return Math.abs(d) <= 1 && (task.risk !== "high" || d >= 0);
  });
  const ordered = [near, ...levels.filter((l) => l !== near)];
  const ids = ordered.map((l) => levelArm(info.ref, l));
  const evidence = learning.evidence(role, ids);
  const seen = (id: string) => {
    const e = evidence.arms.get(id);
    return e
      ? [e.inClass, e.elsewhere, e.installation].some((x) => x.successes + x.failures > 0)
      : false;
  };
  if (ids.filter(seen).length < 2) return null;
  const arms = ordered.map((effort, i) => {
    const id = ids[i] ?? levelArm(info.ref, effort);
    const listed = tableCost(info.price, role, undefined, effortOutputFactor(effort, info.effort));
    return {
      id,
      model: info.ref,
      effort,
      costUsd: evidence.arms.get(id)?.costUsd ?? listed,
      tier: 0,
    };
  });
  const choice = choose({
    ...input,
    arms,
    baseline: ids[0] ?? "",
    evidence,
    options: { ...input.options, tierFloor: 0 },
  });
  return choice.effort && choice.effort !== near ? { choice, learned: choice.effort } : { choice };
}

/** A learnt (model, effort) arm's effort, for its decision. */
function learnedEffort(
  adapted: { readonly effort?: Effort } | null,
): Pick<RoutingDecision, "effort" | "effortLearned"> {
  return adapted?.effort ? { effort: adapted.effort, effortLearned: true } : {};
}

const REVIEWS: Record<"plan_reviewer" | "code_reviewer", "planner" | "implementer"> = {
  plan_reviewer: "planner",
  code_reviewer: "implementer",
};

/** What a role needs a model to be good at, for candidates found in the registry. */
const NEEDS: Record<RoutedRole, Capability> = {
  planner: "planning",
  plan_reviewer: "review",
  implementer: "code",
  code_reviewer: "review",
};

export function providerOf(model: string): string {
  return model.slice(0, model.indexOf("/"));
}

/**
 * May `reviewer` review work written by `author`? Never its own model; with `sameProvider`
 * false, never its provider either (when the config asks for different providers).
 */
export function mayReview(
  config: RoutingConfig,
  author: string,
  reviewer: string,
  sameProvider = false,
): boolean {
  // An agent CLI runs a vendor's model: it is that model, of that provider, for review.
  const [a, r] = [underlyingModel(author), underlyingModel(reviewer)];
  if (a === r) return false;
  if (!config.cross_review.different_provider || sameProvider) return true;
  return providerOf(a) !== providerOf(r);
}

export function matchRule(
  config: RoutingConfig,
  task: TaskDefinition,
): { rule: RoutingRule; index: number } {
  const index = config.rules.findIndex(
    ({ when }) =>
      (!when.risk || when.risk.includes(task.risk)) &&
      (!when.area || when.area.includes(task.area)) &&
      (!when.complexity || when.complexity.includes(task.complexity)),
  );
  const rule = config.rules[index];
  if (!rule) {
    throw new InvalidInputError("routing", [
      {
        path: "routing.rules",
        message: `no rule matches risk=${task.risk} area=${task.area} complexity=${task.complexity}`,
      },
    ]);
  }
  return { rule, index };
}

/**
 * Chooses one model per role for a task: the matching rule's candidates in order, then models
 * of configured providers that have the role's capability (closest tier first, then cheapest),
 * filtered by what the host can call and what has a price. A reviewer is never the author's
 * model; it comes from another provider when one is configured, else (unless
 * `cross_review.strict`) from the author's provider, and the rationale says so.
 */
export function routeTask(
  config: RoutingConfig,
  task: TaskDefinition,
  context: RoutingContext,
): TaskRouting {
  const { rule, index } = matchRule(config, task);
  const where = `rule ${index + 1} (${describeWhen(rule)}: ${rule.reason})`;
  const withEffort = (decision: RoutingDecision): RoutingDecision => {
    if (decision.effortLearned && decision.effort)
      return {
        ...decision,
        rationale: `${decision.rationale}; effort ${decision.effort} (chosen with the model, for every step)`,
      };
    const { effort, why } = wantedEffort(decision.role, task);
    const sent = effortFor(context.registry.models.get(decision.model), effort);
    const perStep =
      decision.role === "implementer" || decision.role === "code_reviewer"
        ? "; per step from the step's risk and size"
        : "";
    const note = sent
      ? `; effort ${sent} (${why}${sent === effort ? "" : `; ${effort} wanted`})${perStep}`
      : `; effort: the provider's default (${decision.model} takes none)`;
    return { ...decision, rationale: `${decision.rationale}${note}`, effort };
  };
  const pick = (role: RoutedRole, listed: readonly string[], author?: string): RoutingDecision =>
    withEffort(pickModel(role, listed, author));
  const pickModel = (
    role: RoutedRole,
    listed: readonly string[],
    author?: string,
  ): RoutingDecision => {
    const skipped: string[] = [];
    const usable: string[] = [];
    for (const model of listed) {
      const why = unusable(model, context);
      if (why === undefined) usable.push(model);
      else skipped.push(`${model} (${why})`);
    }
    const extra = usable.length === 0 ? byCapability(context, NEEDS[role], listed) : [];
    usable.push(...extra);
    const found =
      extra.length > 0
        ? `; no listed candidate is configured, so chosen by capability "${NEEDS[role]}" among configured providers`
        : "";
    const skipNote = skipped.length > 0 ? `; skipped ${skipped.join(", ")}` : "";
    if (author === undefined) {
      const adapted = adapt(config, role, task, usable, context);
      const [model, ...fallbacks] = adapted
        ? [adapted.model, ...usable.filter((m) => m !== adapted.model)]
        : usable;
      if (model !== undefined)
        return {
          role,
          model,
          rationale: `${where}${found}${skipNote}${adapted?.note ?? ""}`,
          fallbacks,
          ...learnedEffort(adapted),
        };
    } else {
      const own = usable.filter((m) => m === author);
      const others = usable.filter((m) => mayReview(config, author, m));
      const mayUseSame = !config.cross_review.strict;
      const same = mayUseSame
        ? usable.filter((m) => !others.includes(m) && mayReview(config, author, m, true))
        : [];
      const listed = [...others, ...same];
      // Learning chooses among reviewers of another provider when there are any.
      const adapted = adapt(config, role, task, others.length > 0 ? others : same, context);
      const ordered = adapted
        ? [adapted.model, ...listed.filter((m) => m !== adapted.model)]
        : listed;
      const [model, ...fallbacks] = ordered;
      if (model !== undefined) {
        const sameProvider = others.length === 0 && config.cross_review.different_provider;
        const note = sameProvider
          ? `; reviews ${author}. No reviewer from another provider is configured, so another ${providerOf(author)} model reviews (set routing.cross_review.strict to refuse instead)`
          : `; reviews ${author}`;
        const ownNote = own.length > 0 ? `; skipped ${author} (wrote the work under review)` : "";
        return {
          role,
          model,
          rationale: `${where}${found}${note}${ownNote}${skipNote}${adapted?.note ?? ""}`,
          fallbacks,
          ...(sameProvider ? { sameProvider: true } : {}),
          ...learnedEffort(adapted),
        };
      }
      if (usable.length > own.length)
        skipped.push(
          `${usable.filter((m) => m !== author).join(", ")} (same provider as ${author}; routing.cross_review.strict is on)`,
        );
      if (own.length > 0) skipped.push(`${author} (wrote the work under review)`);
    }
    throw new InvalidInputError("routing", [
      {
        path: `routing.${role}`,
        message: `no eligible model for ${role} under ${where}: ${skipped.join(", ") || "no candidate"}; configured providers: ${[...context.providers].join(", ") || "none"}`,
      },
    ]);
  };
  const planner = pick("planner", rule.planner);
  const implementer = pick("implementer", rule.implementer);
  return {
    planner,
    implementer,
    plan_reviewer: pick("plan_reviewer", rule.plan_reviewer ?? config.reviewers, planner.model),
    code_reviewer: pick("code_reviewer", rule.code_reviewer ?? config.reviewers, implementer.model),
  };
}

function unusable(model: string, context: RoutingContext): string | undefined {
  if (!context.providers.has(providerOf(model))) return "provider not configured";
  if (!context.registry.models.has(model)) return "no known price";
  return context.unavailable?.get(model);
}

/** Configured models with a capability, the tier of the rule's first listed model first, then cheapest. */
function byCapability(
  context: RoutingContext,
  capability: Capability,
  listed: readonly string[],
): string[] {
  const wanted = listed
    .map((ref) => context.registry.models.get(ref)?.tier)
    .find((t) => t !== undefined);
  const distance = (tier: ModelInfo["tier"]): number =>
    wanted === undefined ? 0 : Math.abs(tierRank(tier) - tierRank(wanted));
  return findModels(context.registry, { capability, providers: context.providers })
    .filter((m) => !context.unavailable?.has(m.ref))
    .map((m, i) => ({ m, i }))
    .sort((a, b) => distance(a.m.tier) - distance(b.m.tier) || a.i - b.i)
    .map(({ m }) => m.ref);
}

function describeWhen(rule: RoutingRule): string {
  const parts = Object.entries(rule.when).map(([k, v]) => `${k}=${(v as string[]).join("|")}`);
  return parts.length > 0 ? parts.join(", ") : "any task";
}

/**
 * Static check at config load: for every rule, every author candidate must have a reviewer
 * candidate that the cross-review rule allows (another model; another provider when
 * `cross_review.strict` is on). Names the role that has none.
 */
export function validateRouting(config: RoutingConfig): Problem[] {
  const problems: Problem[] = [];
  const strict = config.cross_review.strict && config.cross_review.different_provider;
  config.rules.forEach((rule, i) => {
    for (const [reviewerRole, authorRole] of Object.entries(REVIEWS) as [
      keyof typeof REVIEWS,
      "planner" | "implementer",
    ][]) {
      const reviewers = rule[reviewerRole] ?? config.reviewers;
      for (const author of rule[authorRole]) {
        if (!reviewers.some((r) => mayReview(config, author, r, !strict))) {
          problems.push({
            path: `routing.rules.${i}.${reviewerRole}`,
            message: `role ${reviewerRole} has no eligible reviewer for ${authorRole} ${author} (reviewers must differ from the author${strict ? " and its provider" : ""})`,
          });
        }
      }
    }
  });
  return problems;
}

/** Every model a routing config names, with where, for the unknown-model check. */
export function routedModels(config: RoutingConfig): { path: string; ref: string }[] {
  const refs: { path: string; ref: string }[] = [];
  config.rules.forEach((rule, i) => {
    for (const role of ["planner", "implementer", "plan_reviewer", "code_reviewer"] as const)
      (rule[role] ?? []).forEach((ref, j) =>
        refs.push({ path: `routing.rules.${i}.${role}.${j}`, ref }),
      );
  });
  config.reviewers.forEach((ref, j) => refs.push({ path: `routing.reviewers.${j}`, ref }));
  return refs;
}

/**
 * The implementer and code reviewer of each step class (risk × size) whose routing differs from
 * the task's own, from the rules (the first whose `when` matches the task's area and the step's
 * risk and size). The rule table decides here, not a learning strategy: learning draws are for
 * the task's own class, so routing a task stays one set of draws.
 */
export function routeSteps(
  config: RoutingConfig,
  task: TaskDefinition,
  context: RoutingContext,
  own: TaskRouting,
): Record<string, StepRouting> {
  const { learning: _, ...ruleTable } = context;
  const classes: Record<string, StepRouting> = {};
  for (const risk of ["low", "medium", "high"] as const)
    for (const complexity of ["small", "medium", "large"] as const) {
      if (risk === task.risk && complexity === task.complexity) continue;
      let routed: TaskRouting;
      try {
        routed = routeTask(config, { ...task, risk, complexity }, ruleTable);
      } catch {
        continue; // No eligible model for that class: its steps keep the task's routing.
      }
      const differs =
        routed.implementer.model !== own.implementer.model ||
        routed.code_reviewer.model !== own.code_reviewer.model;
      if (differs)
        classes[stepClass({ risk, complexity })] = {
          implementer: routed.implementer,
          code_reviewer: routed.code_reviewer,
        };
    }
  return classes;
}
