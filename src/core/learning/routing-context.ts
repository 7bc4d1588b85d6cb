import type { Role } from "../cost/ledger.ts";
import { tableCost } from "../cost/role-usage.ts";
import type { ModelRegistry } from "../models/registry.ts";
import type { RoutingContext } from "../routing/route.ts";
import type { TaskDefinition } from "../task/definition.ts";
import type { Records, Window } from "./analytics.ts";
import { armsEvidence, RouterMemory, type MemoryOptions } from "./memory.ts";

/** How a registry prices one typical task of a role, for `RouterMemory`. */
export function tableCostFrom(registry: ModelRegistry): MemoryOptions["tableCost"] {
  return (model: string, role: Role, day: string) => {
    const info = registry.models.get(model);
    return info ? tableCost(info.price, role, day) : undefined;
  };
}

/**
 * What the records say for routing one task, from running aggregates (`RouterMemory`) of this
 * repository's records and of the installation's other repositories'. The engine builds them
 * from the records at each start (`learningContext`); a process that keeps them (the router
 * bench) adds each finished task instead (`learningFrom`).
 */
export function learningContext(input: {
  readonly records: Records;
  readonly installation?: Records | null;
  readonly window: Window;
  readonly definition: Pick<TaskDefinition, "risk" | "area">;
  readonly random: () => number;
  readonly registry: ModelRegistry;
}): NonNullable<RoutingContext["learning"]> {
  const options: MemoryOptions = {
    ...(input.window.halfLifeDays === undefined ? {} : { halfLifeDays: input.window.halfLifeDays }),
    tableCost: tableCostFrom(input.registry),
    defaultEffort: (model) => input.registry.models.get(model)?.effort?.default,
  };
  return learningFrom({
    own: RouterMemory.from(input.records, input.window, options),
    installation: input.installation
      ? [RouterMemory.from(input.installation, input.window, options)]
      : [],
    now: input.window.now,
    definition: input.definition,
    random: input.random,
  });
}

/** The learning context over aggregates kept up to date elsewhere. */
export function learningFrom(input: {
  readonly own: RouterMemory;
  readonly installation: readonly RouterMemory[];
  readonly now: string;
  readonly definition: Pick<TaskDefinition, "risk" | "area">;
  readonly random: () => number;
}): NonNullable<RoutingContext["learning"]> {
  return {
    evidence: (role, models) =>
      armsEvidence({
        own: input.own,
        installation: input.installation,
        role,
        risk: input.definition.risk,
        area: input.definition.area,
        models,
        now: input.now,
      }),
    random: input.random,
  };
}
