import type { RoutingContext } from "../routing/route.ts";
import type { TaskDefinition } from "../task/definition.ts";
import { driftedModels, evidenceFrom } from "./adaptive.ts";
import type { Records, Window } from "./analytics.ts";

/**
 * What the records say for routing one task: this repository's evidence per model for each
 * role in the task's class, the installation's (its other repositories'), and the models that
 * drifted. The engine and `bench:router` both route through this.
 */
export function learningContext(input: {
  readonly records: Records;
  readonly installation?: Records | null;
  readonly window: Window;
  readonly definition: Pick<TaskDefinition, "risk" | "area">;
  readonly random: () => number;
}): NonNullable<RoutingContext["learning"]> {
  const { records, installation, window, definition } = input;
  return {
    evidence: (role) => {
      const cls = { role, risk: definition.risk, area: definition.area };
      return {
        repository: evidenceFrom(records, window, cls),
        ...(installation ? { installation: evidenceFrom(installation, window, cls) } : {}),
        drifted: driftedModels(records, window, role),
      };
    },
    random: input.random,
  };
}
