import type { GitHub, RepoRef } from "../../adapters/github/client.ts";
import { readRepoConfig } from "../../adapters/github/repo-config.ts";
import { issueOfBranch } from "../../core/task/task-ref.ts";
import { awaitingGate } from "../../core/task/transition.ts";
import { openIssue } from "../issue-context.ts";
import type { AppOptions } from "../options.ts";

export interface ChecksDone {
  readonly repo: RepoRef;
  readonly defaultBranch: string;
  readonly headSha: string;
  readonly headBranch: string | null;
}

/** `check_suite` / `workflow_run` completed: if a task waits for this head's gate, give it the verdict. */
export async function onChecksDone(app: AppOptions, github: GitHub, e: ChecksDone): Promise<void> {
  const config = await readRepoConfig(github, e.repo, e.defaultBranch).catch((error: unknown) => {
    app.logger.warn(
      { repo: `${e.repo.owner}/${e.repo.repo}`, err: error },
      "config unreadable; checks ignored",
    );
    return null;
  });
  const issue = config && e.headBranch ? issueOfBranch(e.headBranch, config.branch_prefix) : null;
  if (issue === null) return;
  const ctx = openIssue(app, github, { repo: e.repo, defaultBranch: e.defaultBranch, issue });
  const services = await ctx.services();
  const stored = services ? await services.store.load(String(issue)) : null;
  if (!services || !stored || awaitingGate(stored.document) !== e.headSha) return;
  const result = await services.gate.resultFor(e.headSha);
  if (!result) return;
  await ctx.run(stored.document.id, {
    after: {
      type: "gate_result",
      at: new Date(app.clock.now()).toISOString(),
      commit: e.headSha,
      result,
    },
  });
}
