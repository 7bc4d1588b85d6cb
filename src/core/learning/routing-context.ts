import type { Role } from "../vocabulary/roles.ts";
import { tableCost } from "../cost/role-usage.ts";
import type { ModelRegistry } from "../models/registry.ts";
import type { TaskDefinition } from "../task/definition.ts";
import type { Records, Window } from "./analytics.ts";
import { armsEvidence, RouterMemory, type ArmsEvidence, type MemoryOptions } from "./memory.ts";
import type { RoutedRole } from "../vocabulary/roles.ts";

/** What the records say to routing (`RoutingContext.learning`), for a strategy other than `baseline`. */
export interface RouterLearning {
  /**
   * The evidence on these candidates for a role in the task's class: this repository's and
   * its installation's outcomes, drift, and each one's recorded cost (`learningContext`).
   */
  evidence(role: RoutedRole, models: readonly string[]): ArmsEvidence;
  readonly random: () => number;
}

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
}): RouterLearning {
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
}): RouterLearning {
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
