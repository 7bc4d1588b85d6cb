import { z } from "zod";
import { Complexity, Risk } from "../vocabulary/task-class.ts";
import { RepoPath } from "../policy/paths.ts";

export const StepType = z.enum([
  "analysis",
  "implementation",
  "testing",
  "docs",
  "refactor",
  "fix",
]);
export type StepType = z.infer<typeof StepType>;

/** One step of a plan, as the planner writes it. */
export const PlanStep = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,16}$/, "use a short id such as S1"),
  type: StepType,
  description: z.string().min(1).max(4_000),
  risk: Risk,
  complexity: Complexity,
  files: z.array(RepoPath).max(50),
  tests_required: z.boolean(),
});
export type PlanStep = z.infer<typeof PlanStep>;

/** The planner's answer. */
export const Plan = z
  .strictObject({
    summary: z.string().min(1).max(4_000),
    steps: z.array(PlanStep).min(1).max(20),
  })
  .refine((p) => new Set(p.steps.map((s) => s.id)).size === p.steps.length, {
    message: "step ids must be unique",
    path: ["steps"],
  });
export type Plan = z.infer<typeof Plan>;

const Score = z.number().int().min(0).max(10);

/** The plan reviewer's answer. */
export const PlanReview = z.strictObject({
  status: z.enum(["approved", "needs_revision", "rejected"]),
  scores: z.strictObject({ completeness: Score, feasibility: Score, risk_assessment: Score }),
  missing_steps: z.array(z.string()).max(20),
  concerns: z.array(z.string()).max(20),
  suggestions: z.array(z.string()).max(20),
});
export type PlanReview = z.infer<typeof PlanReview>;

/** A code reviewer's finding on one line the step added, with the line that should replace it. */
export const LineComment = z.strictObject({
  path: z.string().min(1).max(1_000),
  /** The line's number in the file after the step. */
  line: z.number().int().min(1),
  body: z.string().min(1).max(4_000),
  /** What the line should read instead: posted as a `suggestion` a maintainer can commit. */
  suggestion: z.string().max(8_000).optional(),
});
export type LineComment = z.infer<typeof LineComment>;

/** The code reviewer's answer on one step's diff. */
export const CodeReview = z.strictObject({
  status: z.enum(["approved", "needs_changes", "rejected"]),
  required_changes: z.array(z.string()).max(20),
  optional_improvements: z.array(z.string()).max(20),
  /** Findings anchored to lines the step added (`placeComments` keeps those it can anchor). */
  comments: z.array(LineComment).max(20).optional(),
  scores: z.strictObject({ correctness: Score, readability: Score, tests: Score }),
});
export type CodeReview = z.infer<typeof CodeReview>;
