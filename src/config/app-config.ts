import { z } from "zod";
import { Risk } from "../core/vocabulary/task-class.ts";
import { RepoConfig } from "./schema.ts";

/**
 * `.github/orchestrator.yml`, read from the default branch only (never from a task branch, so an
 * agent cannot loosen its own gate). Every field is optional.
 */
export const AppRepoConfig = z.strictObject({
  ...RepoConfig.omit({ gate: true, branch_prefix: true }).shape,
  /** The label that turns an issue into a task. */
  label: z.string().min(1).max(50).default("orchestrate"),
  /** Branch holding task state, run logs and records. */
  state_branch: z
    .string()
    .regex(/^[A-Za-z0-9._/-]+$/)
    .refine((b) => !b.includes(".."), "no '..'")
    .default("orchestrator/state"),
  /** Task branches are `<prefix><issue>-<slug>`. */
  branch_prefix: z
    .string()
    .regex(/^[A-Za-z0-9._/-]*$/)
    .refine((p) => !p.includes(".."), "no '..'")
    .default("orchestrator/issue-"),
  gate: z
    .strictObject({
      /** Check names that must pass on the head; empty: every check run from a trusted app. */
      required_checks: z.array(z.string().min(1)).default([]),
      /** Apps whose check runs count. */
      trusted_apps: z.array(z.string().min(1)).min(1).default(["github-actions"]),
      /** Whether a `neutral` conclusion counts as passing (by default it does not). */
      neutral_passes: z.boolean().default(false),
      /** npm scripts the repository's CI runs: a change to them (or their pre/post) needs a person. */
      scripts: z.array(z.string().min(1)).default(["test"]),
      /**
       * Run a failed GitHub Actions job again once before the fixer is called (a flaky test
       * then costs CI minutes, not a model call and a commit). CI's own failures (cancelled,
       * timed out, runner lost) are always run again once.
       */
      rerun_failed: z.boolean().default(true),
      /** Minutes to wait for the first check on a pushed commit before asking a person. */
      start_timeout_minutes: z.number().int().min(1).max(1_440).default(15),
    })
    .default({
      required_checks: [],
      trusted_apps: ["github-actions"],
      neutral_passes: false,
      scripts: ["test"],
      rerun_failed: true,
      start_timeout_minutes: 15,
    }),
  /** Used when an issue does not say. */
  defaults: z
    .strictObject({
      risk: Risk.default("medium"),
      area: z
        .string()
        .regex(/^[a-z][a-z0-9_-]*$/)
        .default("general"),
    })
    .default({ risk: "medium", area: "general" }),
});
export type AppRepoConfig = z.infer<typeof AppRepoConfig>;
