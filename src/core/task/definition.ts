import { z } from "zod";
import { RepoPath } from "../policy/paths.ts";
import { Complexity, Risk } from "../vocabulary/task-class.ts";

/** One task, as written in `tasks.yaml` (and later read from an issue). */
export const TaskDefinition = z.strictObject({
  /** Unique id; letters, digits, `.`, `_` and `-`. */
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "use 1-64 letters, digits, '.', '_' or '-'"),
  /** What to achieve, in plain words. */
  goal: z.string().trim().min(1, "must not be empty").max(20_000),
  /** How much harm a mistake could do. Drives routing and review strictness. */
  risk: Risk,
  /** Code area: core, math, api, services, tests, docs, … Routing rules match on it. */
  area: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,31}$/, "use a lowercase word such as core, api, tests or docs"),
  /** Expected size of the work; defaults to medium. */
  complexity: Complexity.default("medium"),
  /** Repository the task belongs to (informational in local mode). */
  repo: z.string().optional(),
  /** Files the models should read first. */
  context_files: z.array(RepoPath).default([]),
  /** Hard requirements, e.g. ZERO-WARNINGS. */
  constraints: z.array(z.string().min(1)).default([]),
});
export type TaskDefinition = z.infer<typeof TaskDefinition>;
export type TaskDefinitionInput = z.input<typeof TaskDefinition>;
