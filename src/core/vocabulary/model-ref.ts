import { z } from "zod";

/** A model reference: `provider/model`, e.g. `anthropic/claude-sonnet-5-5`. */
export const ModelRef = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*\/[A-Za-z0-9._:@/-]+$/, "use provider/model");
export type ModelRef = z.infer<typeof ModelRef>;
