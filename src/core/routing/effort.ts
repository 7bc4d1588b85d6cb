import type { Role } from "../vocabulary/roles.ts";
import { effortRank, nearestEffort, type Effort } from "../vocabulary/effort.ts";
import type { ModelInfo } from "../models/registry.ts";
import type { StepType } from "../plan/plan.ts";
import type { Complexity, Risk } from "../vocabulary/task-class.ts";

/** What an effort is decided from: the task for its planning and review, a step for its work. */
export interface EffortSubject {
  readonly risk: Risk;
  readonly complexity: Complexity;
  /** A step's type; absent for the task as a whole. */
  readonly type?: StepType;
}

const BY_RISK: Record<Risk, Effort> = { low: "low", medium: "medium", high: "high" };
const BY_COMPLEXITY: Record<Complexity, Effort> = { small: "low", medium: "medium", large: "high" };
const higher = (a: Effort, b: Effort): Effort => (effortRank(a) >= effortRank(b) ? a : b);
const lower = (a: Effort, b: Effort): Effort => (effortRank(a) <= effortRank(b) ? a : b);

/**
 * The effort a role wants for a subject, before the model is known. The rules, in order:
 * - the higher of what the risk and the size ask for (low, medium, high);
 * - a high-risk plan, or its review, one level more (`xhigh`): a wrong plan costs every step;
 * - a docs step at most `low` unless it is high-risk; an analysis step at least `medium`;
 * - a fixer at least `medium` (it starts from a red gate, not from a plan).
 */
export function wantedEffort(role: Role, subject: EffortSubject): { effort: Effort; why: string } {
  let effort = higher(BY_RISK[subject.risk], BY_COMPLEXITY[subject.complexity]);
  const why = [`risk ${subject.risk}`, `complexity ${subject.complexity}`];
  if ((role === "planner" || role === "plan_reviewer") && subject.risk === "high") {
    effort = "xhigh";
    why.push("high-risk plan");
  }
  if (subject.type === "docs" && subject.risk !== "high") {
    effort = lower(effort, "low");
    why.push("docs step");
  }
  if (subject.type === "analysis") effort = higher(effort, "medium");
  if (role === "fixer") effort = higher(effort, "medium");
  return { effort, why: why.join(", ") };
}

/**
 * The effort a call wants: a learnt (model, effort) arm's level for every call of its role,
 * else the rules' for the call's step, or the task.
 */
export function callEffort(
  decision: { readonly effort?: Effort | undefined; readonly effortLearned?: true | undefined },
  role: Role,
  subject: EffortSubject,
): Effort {
  return decision.effortLearned && decision.effort
    ? decision.effort
    : wantedEffort(role, subject).effort;
}

/**
 * The level sent to `model`: the nearest it takes to what the role wants (`nearestEffort`), or
 * none when the model takes no effort (the provider's default then applies).
 */
export function effortFor(
  model: Pick<ModelInfo, "effort"> | undefined,
  wanted: Effort | undefined,
): Effort | undefined {
  return wanted === undefined ? undefined : nearestEffort(model?.effort, wanted);
}
