import { z } from "zod";
import { LogLevel, parseEnv } from "./parse-env.ts";

/** The GitHub Actions app's id: comments made with `GITHUB_TOKEN` are performed through it. */
export const GITHUB_ACTIONS_APP_ID = 15368;

/**
 * What the Action reads from its runner: the variables every runner sets, the action's inputs
 * (`INPUT_<NAME>`, as the runner passes them) and our own. A bad one stops the run with one
 * message naming it.
 */
export const ActionEnv = z.object({
  GITHUB_EVENT_NAME: z.string().min(1),
  GITHUB_EVENT_PATH: z.string().min(1),
  GITHUB_REPOSITORY: z.string().regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, "must be owner/name"),
  GITHUB_API_URL: z.url().default("https://api.github.com"),
  GITHUB_SERVER_URL: z.url().default("https://github.com"),
  GITHUB_RUN_ID: z.string().default("0"),
  GITHUB_RUN_ATTEMPT: z.string().default("1"),
  RUNNER_TEMP: z.string().min(1).optional(),
  /** The file the step's outputs are appended to. */
  GITHUB_OUTPUT: z.string().min(1).optional(),
  /** The file the job summary (Markdown) is appended to. */
  GITHUB_STEP_SUMMARY: z.string().min(1).optional(),
  /** Set to 1 when a run is re-run with debug logging. */
  RUNNER_DEBUG: z.string().optional(),
  LOG_LEVEL: LogLevel.optional(),
  /** A GitHub App installation token (pushes made with `GITHUB_TOKEN` start no CI). */
  "INPUT_GITHUB-TOKEN": z.string().min(1, "is required: pass a GitHub App installation token"),
  /**
   * The id of the App whose token this is: its comments are the ones we wrote. Required: a
   * wrong one would make every run post its comments again (`GITHUB_ACTIONS_APP_ID` for
   * `GITHUB_TOKEN`).
   */
  "INPUT_APP-ID": z
    .string({
      error: `is required: the id of the App that minted the token (${String(GITHUB_ACTIONS_APP_ID)} for GITHUB_TOKEN)`,
    })
    .regex(/^\d+$/, "must be the GitHub App's numeric id")
    .transform(Number),
  /** `env` (providers whose keys are set) or `replay` (answers from a cassette). */
  ORCHESTRATOR_PROVIDER: z.enum(["env", "replay"]).default("env"),
  ORCHESTRATOR_CASSETTE: z.string().min(1).optional(),
  /** Overrides where clones come from (`<base>/<owner>/<repo>.git`). */
  ORCHESTRATOR_CLONE_BASE: z.string().min(1).optional(),
});
export type ActionEnv = z.infer<typeof ActionEnv>;

/** The runner's environment, or one error naming every bad variable. */
export function parseActionEnv(env: NodeJS.ProcessEnv): ActionEnv {
  return parseEnv(ActionEnv, env, "the runner's environment");
}
