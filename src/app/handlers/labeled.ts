import type { GitHub } from "../../adapters/github/client.ts";
import type { AppOptions } from "../options.ts";
import type { LabeledPayload } from "../payloads.ts";
import { configOrComplain } from "../run-issue.ts";
import { startTask } from "../start-task.ts";

/** `issues.labeled`: the configured label, from someone with write access, starts a task. */
export async function onLabeled(app: AppOptions, github: GitHub, p: LabeledPayload): Promise<void> {
  if (p.sender.type === "Bot" || p.issue.pull_request !== undefined) return;
  const repo = { owner: p.repository.owner.login, repo: p.repository.name };
  const config = await configOrComplain(
    app,
    github,
    repo,
    p.repository.default_branch,
    p.issue.number,
  );
  if (!config || p.label.name !== config.label) return;
  const issue = { ...p.issue, labels: p.issue.labels.map((l) => l.name) };
  await startTask(app, github, repo, p.repository.default_branch, config, issue, p.sender.login);
}
