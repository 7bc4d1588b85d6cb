import type { GitHub, RepoRef } from "../adapters/github/client.ts";
import { canWrite } from "../adapters/github/repo-config.ts";
import type { AppRepoConfig } from "../config/app-config.ts";
import { formatProblems, InvalidInputError } from "../core/errors.ts";
import { taskFromIssue } from "../core/task/issue-intake.ts";
import type { AppOptions } from "./options.ts";
import { issueServices } from "./repo-services.ts";
import { reply, runIssue } from "./run-issue.ts";

export interface LabeledIssue {
  readonly number: number;
  readonly title: string;
  readonly body: string | null;
  readonly labels: readonly string[];
}

/**
 * Starts the task an issue asks for, if the person who labelled it may, and runs it. An issue
 * that already has a task starts nothing new; an invalid task gets one comment listing problems.
 */
export async function startTask(
  app: AppOptions,
  github: GitHub,
  repo: RepoRef,
  defaultBranch: string,
  config: AppRepoConfig,
  issue: LabeledIssue,
  labeller: string,
): Promise<void> {
  if (!(await canWrite(github, repo, labeller))) {
    app.logger.info({ issue: issue.number, user: labeller }, "label ignored: no write access");
    return;
  }
  let definition;
  try {
    definition = taskFromIssue(issue, config.defaults);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    await reply(
      app,
      github,
      repo,
      issue.number,
      `intake:${issue.number}`,
      `### orchestrator cannot start this task\n\n${formatProblems(error.problems)}\n\nEdit the issue and label it again.`,
    );
    return;
  }
  const services = issueServices(
    app,
    { github, repo, defaultBranch, config },
    issue.number,
    issue.labels,
  );
  await services.engine.start(definition, { title: issue.title });
  await runIssue(app, services, definition.id);
}
