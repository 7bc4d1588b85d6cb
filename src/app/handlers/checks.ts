import type { GitHub, RepoRef } from "../../adapters/github/api/client.ts";
import { readRepoConfig } from "../../adapters/github/repository/repo-config.ts";
import { issueOfBranch, taskIdOfIssue } from "../../core/task/task-ref.ts";
import { openIssue } from "../issue-context.ts";
import type { AppOptions } from "../options.ts";

export interface ChecksDone {
  readonly repo: RepoRef;
  readonly defaultBranch: string;
  readonly headSha: string;
  readonly headBranch: string | null;
}

/** `check_suite` / `workflow_run` completed: the task of that branch is told (`Engine.wake`). */
export async function onChecksDone(app: AppOptions, github: GitHub, e: ChecksDone): Promise<void> {
  const config = await readRepoConfig(github, e.repo, e.defaultBranch).catch((error: unknown) => {
    app.logger.warn(
      { repo: `${e.repo.owner}/${e.repo.repo}`, err: error },
      "config unreadable; checks ignored",
    );
    return null;
  });
  const issue = config && e.headBranch ? issueOfBranch(e.headBranch, config.branch_prefix) : null;
  if (config === null || issue === null) return;
  const ref = { repo: e.repo, defaultBranch: e.defaultBranch, issue };
  await openIssue(app, github, ref, config).wake(taskIdOfIssue(issue), {
    type: "checks_done",
    commit: e.headSha,
  });
}
