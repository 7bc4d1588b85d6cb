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
  /** Equal for two runs that fail the same way (failing tests and normalised messages). */
  fingerprint: z.string().optional(),
  /**
   * The failures a runner's extractor found in the log, each with its place and its own
   * fingerprint: the fixer is shown them, and triage compares them as a set (a fix that
   * repairs some of them is progress; the same ones printed in another order are not new).
   */
  failures: z
    .array(
      z.strictObject({
        tool: z.string(),
        test: z.string().nullable(),
        location: z.string().nullable(),
        fingerprint: z.string(),
      }),
    )
    .optional(),
  /** The runners whose failures the log showed (`vitest`, `tsc`, … or `log`). */
  tools: z.array(z.string()).optional(),
  /** It failed for a reason other than the code: cancelled, timed out, runner lost. */
  infrastructure: z.boolean().optional(),
  /** The host can run it again on the same commit (a GitHub Actions job). */
  rerunnable: z.boolean().optional(),
  /** The same check fails the same way on the base branch's latest run. */
  redOnBase: z.boolean().optional(),
  /** Where a person sees the whole result. */
  url: z.string().optional(),
  /** The host's id of this run of the check; a run again has a new one. */
  id: z.string().optional(),
});
export type GateCheck = z.infer<typeof GateCheck>;

export const GateResult = z.strictObject({
  passed: z.boolean(),
  /** The commit the checks ran on. */
  commit: z.string().optional(),
  checks: z.array(GateCheck),
  /**
   * The checks ran on this machine, in a work tree of the user's own repository (the CLI's
   * command gate): the commit is already there, there is no remote to fetch it from.
   */
  local: z.boolean().optional(),
});
export type GateResult = z.infer<typeof GateResult>;

/** A gate that ran checks and all passed: a gate of none (`gate.commands: []`) proves nothing. */
export function checkedGreen(result: GateResult | undefined): boolean {
  return result?.passed === true && result.checks.length > 0;
}
