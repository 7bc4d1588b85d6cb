import { underlyingModel } from "../models/agents.ts";
import { totalCost } from "../cost/ledger.ts";
import { type Role } from "../vocabulary/roles.ts";
import { NoEligibleModelError } from "../errors.ts";
import type { TaskDocument } from "../task/document.ts";
import { providerOf, stepClass } from "./route.ts";
import { type RoutedRole } from "../vocabulary/roles.ts";
import { type RoutingDecision } from "../vocabulary/routing-decision.ts";

/** Whose work a reviewer reviews. */
const AUTHORS: Partial<Record<Role, readonly Role[]>> = {
  plan_reviewer: ["planner"],
  code_reviewer: ["implementer", "fixer"],
};

const ROUTED: Record<Role, RoutedRole> = {
  planner: "planner",
  plan_reviewer: "plan_reviewer",
  implementer: "implementer",
  fixer: "implementer",
  code_reviewer: "code_reviewer",
};

/**
 * The models that may answer a role's next call, in order: the routed one, then its fallbacks.
 * A reviewer never gets a model that wrote the work under review (the ledger says which models
 * actually answered, fallbacks included), nor one of their providers unless routing already
 * settled for a same-provider reviewer.
 */
export function callCandidates(
  doc: TaskDocument,
  role: Role,
  step: string | null = null,
): readonly string[] {
  const decision = routedFor(doc, role, step);
  const all = [decision.model, ...(decision.fallbacks ?? [])];
  const authorRoles = AUTHORS[role];
  if (!authorRoles) return all;
  // A step's reviewer reviews that step's implementer (and any fixer); steps of another class
  // may have had another implementer, which this review does not see.
  const ofStep = (key: string): boolean => step === null || key.split(":")[2] === step;
  const authors = new Set(
    doc.ledger
      .filter((c) => authorRoles.includes(c.role) && (c.role === "fixer" || ofStep(c.key)))
      .map((c) => underlyingModel(c.model)),
  );
  const authorProviders = new Set([...authors].map(providerOf));
  const allowed = all.filter((m) => {
    const model = underlyingModel(m);
    return (
      !authors.has(model) &&
      (decision.sameProvider === true || !authorProviders.has(providerOf(model)))
    );
  });
  if (allowed.length === 0)
    throw new NoEligibleModelError(
      `no model may review for ${role}: ${all.join(", ")} ${all.length === 1 ? "is" : "are"} the author's (${[...authors].join(", ")}) or its provider's`,
    );
  return allowed;
}

/**
 * The decision for a role's call: a step's implementer and code reviewer come from its class's
 * routing when the task routed that class apart (`doc.stepRouting`), else the task's.
 */
export function routedFor(doc: TaskDocument, role: Role, step: string | null): RoutingDecision {
  if (!doc.routing) throw new Error(`task ${doc.id} has no routing`);
  const record = step === null ? undefined : doc.steps.find((s) => s.id === step);
  const routed = record ? doc.stepRouting?.[stepClass(record)] : undefined;
  if (routed && (role === "implementer" || role === "code_reviewer")) return routed[role];
  return doc.routing[ROUTED[role]];
}

/** Dollars the task may still spend on calls, or null when it has no budget (or a person lifted it). */
export function budgetLeft(doc: TaskDocument): number | null {
  if (doc.budgetWaived || doc.limits.budgetUsd === null) return null;
  return Math.max(0, doc.limits.budgetUsd - totalCost(doc.ledger));
}
