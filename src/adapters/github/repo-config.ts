import { AppRepoConfig } from "../../config/app-config.ts";
import { parseConfig } from "../../config/parse.ts";
import { statusOf, type GitHub, type RepoRef } from "./client.ts";

export const CONFIG_PATH = ".github/orchestrator.yml";

/** `.github/orchestrator.yml` from the default branch, or the defaults when there is none. */
export async function readRepoConfig(
  github: GitHub,
  repo: RepoRef,
  defaultBranch: string,
): Promise<AppRepoConfig> {
  try {
    const { data } = await github.rest.repos.getContent({
      ...repo,
      path: CONFIG_PATH,
      ref: defaultBranch,
    });
    if (Array.isArray(data) || data.type !== "file") return AppRepoConfig.parse({});
    return parseConfig(
      AppRepoConfig,
      Buffer.from(data.content, "base64").toString("utf8"),
      CONFIG_PATH,
    );
  } catch (error) {
    if (statusOf(error) === 404) return AppRepoConfig.parse({});
    throw error;
  }
}

const WRITERS = new Set(["admin", "maintain", "write"]);

/** Whether a user may drive tasks: admin, maintain or write (triage can label, but is not enough). */
export async function canWrite(github: GitHub, repo: RepoRef, username: string): Promise<boolean> {
  try {
    const { data } = await github.rest.repos.getCollaboratorPermissionLevel({ ...repo, username });
    return WRITERS.has(data.role_name || data.permission);
  } catch (error) {
    if (statusOf(error) === 404) return false;
    throw error;
  }
}
