import type { GitHub, RepoRef } from "../../adapters/github/client.ts";
import { awaitingGate } from "../../core/task/transition.ts";
import type { AppOptions } from "../options.ts";
import { issueServices } from "../repo-services.ts";
import { readRepoConfig } from "../../adapters/github/repo-config.ts";
import { runIssue } from "../run-issue.ts";

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
  if (!config || !e.headBranch?.startsWith(config.branch_prefix)) return;
  const issue = Number(/^(\d+)-/.exec(e.headBranch.slice(config.branch_prefix.length))?.[1]);
  if (!Number.isInteger(issue) || issue <= 0) return;
  const services = issueServices(
    app,
    { github, repo: e.repo, defaultBranch: e.defaultBranch, config },
    issue,
  );
  const stored = await services.store.load(String(issue));
  if (!stored || awaitingGate(stored.document) !== e.headSha) return;
  const result = await services.gate.resultFor(e.headSha);
  if (!result) return;
  await services.engine.deliver(stored.document.id, {
    type: "gate_result",
    at: new Date(app.clock.now()).toISOString(),
    commit: e.headSha,
    result,
  });
  await runIssue(app, services, stored.document.id);
}
