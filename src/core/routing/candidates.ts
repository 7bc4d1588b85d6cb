import { underlyingModel } from "../models/agents.ts";
import { totalCost, type Role } from "../cost/ledger.ts";
import { NoEligibleModelError } from "../errors.ts";
import type { TaskDocument } from "../task/document.ts";
import { providerOf, type RoutedRole } from "./route.ts";

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
export function callCandidates(doc: TaskDocument, role: Role): readonly string[] {
  if (!doc.routing) throw new Error(`task ${doc.id} has no routing`);
  const decision = doc.routing[ROUTED[role]];
  const all = [decision.model, ...(decision.fallbacks ?? [])];
  const authorRoles = AUTHORS[role];
  if (!authorRoles) return all;
  const authors = new Set(
    doc.ledger.filter((c) => authorRoles.includes(c.role)).map((c) => underlyingModel(c.model)),
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

/** Dollars the task may still spend on calls, or null when it has no budget (or a person lifted it). */
export function budgetLeft(doc: TaskDocument): number | null {
  if (doc.budgetWaived || doc.limits.budgetUsd === null) return null;
  return Math.max(0, doc.limits.budgetUsd - totalCost(doc.ledger));
}
