import { AppRepoConfig } from "../../../config/app-config.ts";
import { MAX_CONFIG_CHARS, parseConfig } from "../../../config/parse.ts";
import { InvalidInputError, type Problem } from "../../../core/errors.ts";
import { statusOf, type GitHub, type RepoRef } from "../api/client.ts";
import { Content, Permission } from "../api/responses.ts";

export const CONFIG_PATH = ".github/orchestrator.yml";

/**
 * `.github/orchestrator.yml` from the default branch, or the defaults when there is none. A file
 * that is too large, not valid, or whose branches collide with the default branch or the task
 * branches is an `InvalidInputError` listing every problem.
 */
export async function readRepoConfig(
  github: GitHub,
  repo: RepoRef,
  defaultBranch: string,
): Promise<AppRepoConfig> {
  let text: string;
  try {
    const { data } = await github.rest.repos.getContent({
      ...repo,
      path: CONFIG_PATH,
      ref: defaultBranch,
    });
    const content = Content.parse(data);
    if (Array.isArray(content) || content.type !== "file" || !("size" in content))
      return AppRepoConfig.parse({});
    // GitHub sends no content for files over 1 MB; those are far too large anyway.
    if (content.size > MAX_CONFIG_CHARS || (content.size > 0 && content.content === ""))
      throw new InvalidInputError(CONFIG_PATH, [
        {
          path: "",
          message: `the file has ${String(content.size)} bytes; a config may have at most ${String(MAX_CONFIG_CHARS)}`,
        },
      ]);
    text = Buffer.from(content.content, "base64").toString("utf8");
  } catch (error) {
    if (statusOf(error) === 404) return AppRepoConfig.parse({});
    throw error;
  }
  return repoConfigFromText(text, defaultBranch);
}

/** The config from the file's text (null: there is no file), checked as `readRepoConfig` does. */
export function repoConfigFromText(text: string | null, defaultBranch: string): AppRepoConfig {
  if (text === null) return AppRepoConfig.parse({});
  const config = parseConfig(AppRepoConfig, text, CONFIG_PATH, { mayLowerPrices: false });
  const problems = branchProblems(config, defaultBranch);
  if (problems.length > 0) throw new InvalidInputError(CONFIG_PATH, problems);
  return config;
}

/** The state branch must be neither the default branch nor one the app may push a task to. */
function branchProblems(config: AppRepoConfig, defaultBranch: string): Problem[] {
  const problems: Problem[] = [];
  if (config.state_branch === defaultBranch)
    problems.push({ path: "state_branch", message: "must not be the default branch" });
  if (config.state_branch.startsWith(config.branch_prefix))
    problems.push({
      path: "state_branch",
      message: `must not start with the task branch prefix "${config.branch_prefix}"`,
    });
  if (defaultBranch.startsWith(config.branch_prefix))
    problems.push({
      path: "branch_prefix",
      message: "must not be a prefix of the default branch",
    });
  return problems;
}

const WRITERS = new Set(["admin", "maintain", "write"]);

/** Whether a user may drive tasks: admin, maintain or write (triage can label, but is not enough). */
export async function canWrite(github: GitHub, repo: RepoRef, username: string): Promise<boolean> {
  try {
    const { data } = await github.rest.repos.getCollaboratorPermissionLevel({ ...repo, username });
    const permission = Permission.parse(data);
    return WRITERS.has(permission.role_name || permission.permission);
  } catch (error) {
    if (statusOf(error) === 404) return false;
    throw error;
  }
}
