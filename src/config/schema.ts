import { z } from "zod";
import { ModelOverrides } from "../core/models/registry.ts";
import { DEFAULT_ROUTING, RoutingConfig } from "../core/routing/rules.ts";

export const GateCommandConfig = z.strictObject({
  /** Name shown in results. */
  name: z.string().min(1),
  /** Shell command run in the task's work tree. */
  run: z.string().min(1),
  /** Seconds before the command is killed and the check fails. */
  timeout_seconds: z.number().positive().max(7_200).default(600),
  /** ZERO-WARNINGS: a regular expression; any output line matching it fails the check. */
  warning_pattern: z
    .string()
    .refine((p) => {
      try {
        new RegExp(p);
        return true;
      } catch {
        return false;
      }
    }, "not a valid regular expression")
    .optional(),
});

/** `.orchestrator/config.yaml`: every field is optional and has a default. */
export const RepoConfig = z.strictObject({
  /** Which model does which role; default: the seeds' risk × area table. */
  routing: RoutingConfig.default(DEFAULT_ROUTING),
  limits: z
    .strictObject({
      /** Plan revisions before a human is asked. */
      plan_revisions: z.number().int().min(0).max(10).default(2),
      /** Change requests per step before a human is asked. */
      step_review_rounds: z.number().int().min(0).max(10).default(3),
      /** Times a red gate goes back to the fixer before a human is asked. */
      gate_attempts: z.number().int().min(0).max(10).default(3),
      /** Dollars one task may spend on models; 0 for no limit. */
      task_budget_usd: z.number().min(0).default(5),
      /** Share of the repository's files one step may delete before a person is asked (0 to 1). */
      max_deleted_share: z.number().min(0).max(1).default(0.2),
      /** Longest total wait for one model call across its retries, in seconds. */
      retry_wait_seconds: z.number().int().min(0).max(3_600).default(120),
      /** Hours a task may run (waiting for CI included) before a person is asked; 0 for no limit. */
      task_hours: z.number().min(0).max(720).default(6),
      /** Lines a step may change outside the files its plan named before a person is asked. */
      unplanned_lines: z.number().int().min(0).max(100_000).default(200),
    })
    .default({
      plan_revisions: 2,
      step_review_rounds: 3,
      gate_attempts: 3,
      task_budget_usd: 5,
      max_deleted_share: 0.2,
      retry_wait_seconds: 120,
      task_hours: 6,
      unplanned_lines: 200,
    }),
  gate: z
    .strictObject({
      commands: z
        .array(GateCommandConfig)
        .default([{ name: "test", run: "npm test", timeout_seconds: 600 }]),
      /**
       * `commands: []` runs no gate: nothing checks a change before the task is done. Refused
       * unless this says it is meant.
       */
      allow_none: z.boolean().optional(),
    })
    .refine((gate) => gate.commands.length > 0 || gate.allow_none === true, {
      path: ["commands"],
      message:
        "no gate command: nothing would check a change before the task is done; add a command, or set gate.allow_none: true to run without a gate",
    })
    .default({ commands: [{ name: "test", run: "npm test", timeout_seconds: 600 }] }),
  /** Globs the implementer may not change, added to the built-in ones. */
  protected_paths: z.array(z.string().min(1)).default([]),
  /**
   * npm scripts whose change needs a person, added to the lifecycle scripts (`preinstall`,
   * `postinstall`, `prepare`, …) and the scripts the gate runs.
   */
  protected_scripts: z.array(z.string().min(1)).default([]),
  /**
   * Hosts that links and images in what the app posts may point to, besides the repository's
   * own GitHub host; others are shown as code, not as links.
   */
  allowed_link_hosts: z
    .array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, "a host name such as docs.example.com"))
    .default([]),
  /**
   * `one`: the plan and its review are folded into the one status comment that is edited in
   * place, and no summary is posted (an escalation, which needs an answer, is still its own
   * comment). `each`: every one is its own comment.
   */
  comments: z.enum(["one", "each"]).default("one"),
  branch_prefix: z
    .string()
    .regex(/^[A-Za-z0-9._/-]*$/, "letters, digits, '.', '_', '-' and '/' only")
    .refine((p) => !p.includes("..") && !p.startsWith("/"), "no '..' and no leading '/'")
    .default("orchestrator/"),
  implementer: z
    .strictObject({
      max_tool_turns: z.number().int().min(1).max(200).default(40),
      max_changed_files: z.number().int().min(1).max(1_000).default(40),
      max_output_tokens: z.number().int().min(256).max(128_000).default(8_192),
      /** Wall time of one coding-agent CLI run (the process is killed past it). */
      agent_minutes: z.number().int().min(1).max(240).default(20),
    })
    .default({
      max_tool_turns: 40,
      max_changed_files: 40,
      max_output_tokens: 8_192,
      agent_minutes: 20,
    }),
  /**
   * Models added to the shipped table (`models.yaml`) or changed: a new model needs every field
   * (tier, capabilities, context window, max output, cache, price); a known one only the fields
   * that change. Prices are dollars per million tokens.
   */
  models: ModelOverrides.default({}),
});
export type RepoConfig = z.infer<typeof RepoConfig>;
