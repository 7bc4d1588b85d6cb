import { z } from "zod";
import { InvalidInputError, type Problem } from "../errors.ts";
import type { TaskDefinition } from "../task/definition.ts";
import type { RoutingConfig, RoutingRule } from "./rules.ts";

export const RoutedRole = z.enum(["planner", "plan_reviewer", "implementer", "code_reviewer"]);
export type RoutedRole = z.infer<typeof RoutedRole>;

/** Which model does a role for a whole task, and why. */
export const RoutingDecision = z.strictObject({
  role: RoutedRole,
  model: z.string(),
  rationale: z.string(),
});
export type RoutingDecision = z.infer<typeof RoutingDecision>;
export type TaskRouting = Record<RoutedRole, RoutingDecision>;

/** What the host can actually call. */
export interface RoutingContext {
  /** Providers that are configured and reachable. */
  readonly providers: ReadonlySet<string>;
  /** Models with a known price; others are refused. */
  readonly priced: ReadonlySet<string>;
}

const REVIEWS: Record<"plan_reviewer" | "code_reviewer", "planner" | "implementer"> = {
  plan_reviewer: "planner",
  code_reviewer: "implementer",
};

export function providerOf(model: string): string {
  return model.slice(0, model.indexOf("/"));
}

/** May `reviewer` review work written by `author` under the cross-review rule? */
export function mayReview(config: RoutingConfig, author: string, reviewer: string): boolean {
  if (author === reviewer) return false;
  return !config.cross_review.different_provider || providerOf(author) !== providerOf(reviewer);
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
 * Chooses one model per role for a task: the matching rule's candidates in order, filtered by
 * what the host can call and what has a price, reviewers by the cross-review rule.
 */
export function routeTask(
  config: RoutingConfig,
  task: TaskDefinition,
  context: RoutingContext,
): TaskRouting {
  const { rule, index } = matchRule(config, task);
  const where = `rule ${index + 1} (${describeWhen(rule)}: ${rule.reason})`;
  const pick = (
    role: RoutedRole,
    candidates: readonly string[],
    author?: string,
  ): RoutingDecision => {
    const skipped: string[] = [];
    for (const model of candidates) {
      const why =
        unusable(model, context) ??
        (author !== undefined && !mayReview(config, author, model)
          ? `wrote the work under review`
          : undefined);
      if (why === undefined) {
        const reviewNote = author === undefined ? "" : `; reviews ${author}`;
        const skipNote = skipped.length > 0 ? `; skipped ${skipped.join(", ")}` : "";
        return { role, model, rationale: `${where}${reviewNote}${skipNote}` };
      }
      skipped.push(`${model} (${why})`);
    }
    throw new InvalidInputError("routing", [
      {
        path: `routing.${role}`,
        message: `no eligible model for ${role} under ${where}: ${skipped.join(", ")}`,
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
  if (!context.priced.has(model)) return "no known price";
  return undefined;
}

function describeWhen(rule: RoutingRule): string {
  const parts = Object.entries(rule.when).map(([k, v]) => `${k}=${(v as string[]).join("|")}`);
  return parts.length > 0 ? parts.join(", ") : "any task";
}

/**
 * Static check at config load: for every rule, every author candidate must have at least one
 * reviewer candidate that the cross-review rule allows. Names the role that has none.
 */
export function validateRouting(config: RoutingConfig): Problem[] {
  const problems: Problem[] = [];
  config.rules.forEach((rule, i) => {
    for (const [reviewerRole, authorRole] of Object.entries(REVIEWS) as [
      keyof typeof REVIEWS,
      "planner" | "implementer",
    ][]) {
      const reviewers = rule[reviewerRole] ?? config.reviewers;
      for (const author of rule[authorRole]) {
        if (!reviewers.some((r) => mayReview(config, author, r))) {
          problems.push({
            path: `routing.rules.${i}.${reviewerRole}`,
            message: `role ${reviewerRole} has no eligible reviewer for ${authorRole} ${author} (reviewers must differ from the author${config.cross_review.different_provider ? " and its provider" : ""})`,
          });
        }
      }
    }
  });
  return problems;
}
