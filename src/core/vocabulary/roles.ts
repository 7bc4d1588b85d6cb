import { z } from "zod";

/** Who a model call is made for: every role of a task. */
export const Role = z.enum(["planner", "plan_reviewer", "implementer", "code_reviewer", "fixer"]);
export type Role = z.infer<typeof Role>;

/** The roles routing picks a model for (the fixer takes the implementer's). */
export const RoutedRole = z.enum(["planner", "plan_reviewer", "implementer", "code_reviewer"]);
export type RoutedRole = z.infer<typeof RoutedRole>;
