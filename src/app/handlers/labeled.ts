import { canWrite } from "../../adapters/github/repo-config.ts";
import type { GitHub } from "../../adapters/github/client.ts";
import { formatProblems, InvalidInputError } from "../../core/errors.ts";
import { taskFromIssue } from "../../core/task/issue-intake.ts";
import type { AppOptions } from "../options.ts";
import type { LabeledPayload } from "../payloads.ts";
import { issueServices } from "../repo-services.ts";
import { configOrComplain, reply, runIssue } from "../run-issue.ts";

/** `issues.labeled`: the configured label, from someone with write access, starts a task. */
export async function onLabeled(app: AppOptions, github: GitHub, p: LabeledPayload): Promise<void> {
  if (p.sender.type === "Bot" || p.issue.pull_request !== undefined) return;
  const repo = { owner: p.repository.owner.login, repo: p.repository.name };
  const config = await configOrComplain(github, repo, p.repository.default_branch, p.issue.number);
  if (!config || p.label.name !== config.label) return;
  if (!(await canWrite(github, repo, p.sender.login))) {
    app.logger.info({ issue: p.issue.number, user: p.sender.login }, "label ignored: no write access");
    return;
  }
  let definition;
  try {
    definition = taskFromIssue(p.issue, config.defaults);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    await reply(github, repo, p.issue.number, `intake:${p.issue.number}`, `### orchestrator cannot start this task\n\n${formatProblems(error.problems)}\n\nEdit the issue and label it again.`);
    return;
  }
  const services = issueServices(app, { github, repo, defaultBranch: p.repository.default_branch, config }, p.issue.number, p.issue.labels.map((l) => l.name));
  await services.engine.start(definition, { title: p.issue.title });
  await runIssue(app, services, definition.id);
}
