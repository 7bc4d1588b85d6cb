import { z } from "zod";

const Keyed = { key: z.string() };

/** What the engine must do next. Each effect is keyed; the engine runs the outbox in order. */
export const Effect = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("call_planner"), ...Keyed, feedback: z.string().nullable() }),
  z.strictObject({ kind: z.literal("call_plan_reviewer"), ...Keyed }),
  z.strictObject({
    kind: z.literal("implement_step"),
    ...Keyed,
    step: z.number().int().nonnegative(),
    role: z.enum(["implementer", "fixer"]),
    feedback: z.string().nullable(),
  }),
  z.strictObject({
    kind: z.literal("call_code_reviewer"),
    ...Keyed,
    step: z.number().int().nonnegative(),
  }),
  z.strictObject({ kind: z.literal("run_gate"), ...Keyed }),
  /** Runs the named failed checks of a commit again; their result comes as a `gate_result`. */
  z.strictObject({
    kind: z.literal("rerun_checks"),
    ...Keyed,
    commit: z.string(),
    checks: z.array(z.string()),
  }),
  z.strictObject({
    kind: z.literal("post_comment"),
    ...Keyed,
    topic: z.enum(["plan", "plan_review", "escalation", "summary"]),
    body: z.string(),
  }),
  z.strictObject({
    kind: z.literal("update_status"),
    ...Keyed,
    body: z.string(),
    /** The task state the body describes, for hosts that also show it otherwise (labels). */
    state: z.string().optional(),
  }),
  z.strictObject({
    kind: z.literal("sync_pull_request"),
    ...Keyed,
    title: z.string(),
    body: z.string(),
    /** A draft while work goes on; ready for review once the gate is green. */
    draft: z.boolean(),
    /** Read the pull request back after writing it: the task is done only if it matches. */
    verify: z.boolean().optional(),
  }),
  /** Our code reviewer's verdict on a step, as one review of the pull request. */
  z.strictObject({
    kind: z.literal("post_review"),
    ...Keyed,
    commit: z.string(),
    body: z.string(),
    /** Findings on lines of the diff, posted in the same review. */
    comments: z
      .array(z.strictObject({ path: z.string(), line: z.number().int().min(1), body: z.string() }))
      .optional(),
  }),
  /** Replies in each thread of a person's review with the commit that answers it, and resolves them. */
  z.strictObject({
    kind: z.literal("answer_review"),
    ...Keyed,
    review: z.number().int(),
    comments: z.array(z.number().int()),
    commit: z.string(),
  }),
  z.strictObject({
    kind: z.literal("report_check"),
    ...Keyed,
    commit: z.string(),
    title: z.string(),
    summary: z.string(),
    /** The code review's verdict as a check conclusion; absent (earlier documents): neutral. */
    conclusion: z.enum(["success", "neutral", "failure"]).optional(),
  }),
]);
export type Effect = z.infer<typeof Effect>;

export type ModelEffect = Extract<
  Effect,
  { kind: "call_planner" | "call_plan_reviewer" | "implement_step" | "call_code_reviewer" }
>;

export function isModelEffect(effect: Effect): effect is ModelEffect {
  return (
    effect.kind === "call_planner" ||
    effect.kind === "call_plan_reviewer" ||
    effect.kind === "implement_step" ||
    effect.kind === "call_code_reviewer"
  );
}

/**
 * Whether an effect's result is found again after a crash without being saved: comments and the
 * status by their marker, the pull request by its branch, check runs by their external id, and an
 * implementation by the commit that carries its key (with its calls in a git note). The results
 * of these wait in memory for the run's next save; every other result is saved at once.
 */
export function isFoundAgain(effect: Effect, outcome: { readonly kind: string }): boolean {
  switch (effect.kind) {
    case "post_comment":
    case "update_status":
    case "sync_pull_request":
    case "report_check":
      return true;
    case "implement_step":
      return outcome.kind === "implemented";
    default:
      return false;
  }
}
