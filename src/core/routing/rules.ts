import { z } from "zod";
import { STRATEGIES } from "../vocabulary/strategy.ts";
import { Complexity, Risk } from "../vocabulary/task-class.ts";
import { ModelRef } from "../vocabulary/model-ref.ts";

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

export const CrossReview = z.strictObject({
  /** Prefer a reviewer from another provider than the author (never the author's own model). */
  different_provider: z.boolean().default(true),
  /**
   * Refuse a task when no reviewer from another provider is configured, instead of taking
   * another model of the author's provider (and saying so).
   */
  strict: z.boolean().default(false),
});
export type CrossReview = z.infer<typeof CrossReview>;

/** How the adaptive router learns from this repository's records (`routing.strategy` other than `baseline`). */
export const LearningConfig = z.strictObject({
  /**
   * `learning`: chance of trying a candidate that could still be the best, lowered as confidence
   * grows; none once every other candidate is credibly worse.
   */
  exploration_rate: z.number().min(0).max(0.5).default(0.05),
  /**
   * Tasks of evidence the prior is worth (the candidates' pooled success, a step per tier, the
   * rule table's choice first); history outweighs it after that many.
   */
  prior_weight: z.number().min(1).max(100).default(5),
  /** `balanced` and `learning`: what one successful task is worth, in dollars. */
  success_value_usd: z.number().positive().max(1_000).default(1),
  /**
   * `cost`: the share of the best candidate's expected success a cheaper one must reach to be
   * chosen (0.9: at least 90 % as often as the best).
   */
  quality_floor: z.number().min(0).max(1).default(0.9),
  /** Records older than this are not read. */
  window_days: z.number().int().min(1).max(3_650).default(180),
  /** A record this many days old counts half. */
  half_life_days: z.number().positive().max(3_650).default(30),
});
export type LearningConfig = z.infer<typeof LearningConfig>;

const LEARNING_DEFAULTS: LearningConfig = {
  exploration_rate: 0.05,
  prior_weight: 5,
  success_value_usd: 1,
  quality_floor: 0.9,
  window_days: 180,
  half_life_days: 30,
};

const SONNET = "anthropic/claude-sonnet-5-5";
const OPUS = "anthropic/claude-opus-5-5";
const HAIKU = "anthropic/claude-haiku-5-5";
const GEMINI_PRO = "google/gemini-3.1-pro-preview";
const GEMINI_FLASH = "google/gemini-3.5-flash";
const GEMINI_LITE = "google/gemini-3.5-flash-lite";
const SOL = "openai/gpt-6.2-sol";
const TERRA = "openai/gpt-6.1-terra";
const LUNA = "openai/gpt-6-luna";

/**
 * The seeds' routing matrix (risk × area). Every role lists a model of each provider, so one
 * provider's key is enough; reviewers come from another provider when one is configured.
 */
const DEFAULT_RULES: RoutingRule[] = [
  {
    when: { risk: ["high"], area: ["core", "math"] },
    reason: "high-risk core logic needs the strongest reasoning",
    planner: [OPUS, SOL, GEMINI_PRO],
    implementer: [SONNET, SOL, GEMINI_PRO],
  },
  {
    when: { risk: ["high"], area: ["api", "services"] },
    reason: "high-risk service work: solid architecture, careful code",
    planner: [GEMINI_PRO, OPUS, SOL],
    implementer: [SONNET, SOL, GEMINI_PRO],
  },
  {
    when: { risk: ["high"] },
    reason: "high risk",
    planner: [OPUS, GEMINI_PRO, SOL],
    implementer: [SONNET, SOL, GEMINI_PRO],
  },
  {
    when: { risk: ["medium"] },
    reason: "medium risk: solid and affordable",
    planner: [GEMINI_PRO, SONNET, SOL],
    implementer: [SONNET, GEMINI_FLASH, TERRA],
  },
  {
    when: { risk: ["low"] },
    reason: "low risk: fast and cheap is good enough",
    planner: [GEMINI_FLASH, SONNET, TERRA],
    implementer: [GEMINI_FLASH, HAIKU, TERRA],
  },
];

const DEFAULT_REVIEWERS: string[] = [
  SONNET,
  GEMINI_PRO,
  SOL,
  OPUS,
  GEMINI_FLASH,
  TERRA,
  HAIKU,
  GEMINI_LITE,
  LUNA,
];

export const RoutingConfig = z.strictObject({
  /** Rules in order; the first that matches a task decides. The last should match anything. */
  rules: z.array(RoutingRule).min(1).default(DEFAULT_RULES),
  /** Reviewer candidates for rules that name none, in order of preference. */
  reviewers: z.array(ModelRef).min(1).default(DEFAULT_REVIEWERS),
  cross_review: CrossReview.default({ different_provider: true, strict: false }),
  /**
   * Who chooses among a rule's candidates: `baseline` (the first usable one, as listed), or from
   * this repository's records `performance`, `cost`, `balanced` or `learning` (Thompson sampling).
   */
  strategy: z.enum(STRATEGIES).default("baseline"),
  learning: LearningConfig.default(LEARNING_DEFAULTS),
});
export type RoutingConfig = z.infer<typeof RoutingConfig>;

/** The seeds' routing matrix (risk × area), with one model of each provider per role. */
export const DEFAULT_ROUTING: RoutingConfig = {
  rules: DEFAULT_RULES,
  reviewers: DEFAULT_REVIEWERS,
  cross_review: { different_provider: true, strict: false },
  strategy: "baseline",
  learning: LEARNING_DEFAULTS,
};
