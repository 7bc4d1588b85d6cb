import { z } from "zod";
import { Effort } from "./effort.ts";
import { RoutedRole } from "./roles.ts";

/** Which model does a role for a whole task, and why. */
export const RoutingDecision = z.strictObject({
  role: RoutedRole,
  model: z.string(),
  rationale: z.string(),
  /** Eligible models to fall back to, in order, when the chosen one fails before it answers. */
  fallbacks: z.array(z.string()).optional(),
  /** A reviewer of the author's own provider, taken because no other provider is configured. */
  sameProvider: z.boolean().optional(),
  /**
   * The effort the role wants for the task (`wantedEffort`); the model gets the nearest level it
   * takes. An implementer's and a code reviewer's calls use their step's own instead.
   */
  effort: Effort.optional(),
  /** The learning router chose `effort` with the model (a (model, effort) arm): steps keep it. */
  effortLearned: z.literal(true).optional(),
});
export type RoutingDecision = z.infer<typeof RoutingDecision>;
export type TaskRouting = Record<RoutedRole, RoutingDecision>;

/** A step's implementer and code reviewer, routed from the step's own risk and size. */
export const StepRouting = z.strictObject({
  implementer: RoutingDecision,
  code_reviewer: RoutingDecision,
});
export type StepRouting = z.infer<typeof StepRouting>;
