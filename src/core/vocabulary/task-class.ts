import { z } from "zod";

/** How much harm a mistake could do: drives routing and review strictness. */
export const Risk = z.enum(["low", "medium", "high"]);
export type Risk = z.infer<typeof Risk>;

/** The expected size of a task's or a step's work. */
export const Complexity = z.enum(["small", "medium", "large"]);
export type Complexity = z.infer<typeof Complexity>;
