import { z } from "zod";

/** One check of the quality gate (a command locally, a check run on GitHub). */
export const GateCheck = z.strictObject({
  name: z.string(),
  passed: z.boolean(),
  /** Why it failed: exit code, timeout, or warnings under ZERO-WARNINGS. */
  reason: z.string().nullable(),
  durationMs: z.number().nonnegative(),
  /** Trimmed, redacted output of a failed check; empty for a passed one. */
  output: z.string(),
});
export type GateCheck = z.infer<typeof GateCheck>;

export const GateResult = z.strictObject({
  passed: z.boolean(),
  checks: z.array(GateCheck),
});
export type GateResult = z.infer<typeof GateResult>;
