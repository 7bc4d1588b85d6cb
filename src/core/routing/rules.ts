import { z } from "zod";
import { Complexity, Risk } from "../task/definition.ts";

/** A model reference: `provider/model`, e.g. `anthropic/claude-sonnet-4-5`. */
export const ModelRef = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*\/[A-Za-z0-9._:@/-]+$/, "use provider/model");
export type ModelRef = z.infer<typeof ModelRef>;

/** One routing rule: when a task matches, these candidates are tried in order. */
export const RoutingRule = z.strictObject({
  /** Conditions; an omitted field matches anything. */
  when: z
    .strictObject({
      risk: z.array(Risk).min(1).optional(),
      area: z.array(z.string()).min(1).optional(),
      complexity: z.array(Complexity).min(1).optional(),
    })
    .default({}),
  /** Why this rule exists; shown in every decision it makes. */
  reason: z.string().min(1),
  planner: z.array(ModelRef).min(1),
  implementer: z.array(ModelRef).min(1),
  /** Reviewer candidates; default: `routing.reviewers`. */
  plan_reviewer: z.array(ModelRef).min(1).optional(),
  code_reviewer: z.array(ModelRef).min(1).optional(),
});
export type RoutingRule = z.infer<typeof RoutingRule>;

export const RoutingConfig = z.strictObject({
  /** Rules in order; the first that matches a task decides. The last should match anything. */
  rules: z.array(RoutingRule).min(1),
  /** Reviewer candidates for rules that name none, in order of preference. */
  reviewers: z.array(ModelRef).min(1),
  cross_review: z
    .strictObject({
      /** A reviewer must also come from another provider than the author (not only another model). */
      different_provider: z.boolean().default(true),
    })
    .default({ different_provider: true }),
});
export type RoutingConfig = z.infer<typeof RoutingConfig>;

const CLAUDE = "anthropic/claude-sonnet-4-5";
const GEMINI_PRO = "google/gemini-2.5-pro";
const GEMINI_FLASH = "google/gemini-2.5-flash";

/** The seeds' routing matrix (risk × area), with reviewers from another provider. */
export const DEFAULT_ROUTING: RoutingConfig = {
  rules: [
    {
      when: { risk: ["high"], area: ["core", "math"] },
      reason: "high-risk core logic needs the strongest reasoning",
      planner: [CLAUDE, GEMINI_PRO],
      implementer: [CLAUDE, GEMINI_PRO],
    },
    {
      when: { risk: ["high"], area: ["api", "services"] },
      reason: "high-risk service work: solid architecture, careful code",
      planner: [GEMINI_PRO, CLAUDE],
      implementer: [CLAUDE, GEMINI_PRO],
    },
    {
      when: { risk: ["high"] },
      reason: "high risk",
      planner: [CLAUDE, GEMINI_PRO],
      implementer: [CLAUDE, GEMINI_PRO],
    },
    {
      when: { risk: ["medium"] },
      reason: "medium risk: solid and affordable",
      planner: [GEMINI_PRO, CLAUDE],
      implementer: [GEMINI_PRO, CLAUDE],
    },
    {
      when: { risk: ["low"] },
      reason: "low risk: fast and cheap is good enough",
      planner: [GEMINI_FLASH, GEMINI_PRO],
      implementer: [GEMINI_FLASH, GEMINI_PRO],
    },
  ],
  reviewers: [CLAUDE, GEMINI_PRO, "anthropic/claude-haiku-4-5", GEMINI_FLASH],
  cross_review: { different_provider: true },
};
