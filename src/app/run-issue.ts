import type { GitHub, RepoRef } from "../adapters/github/client.ts";
import { readRepoConfig } from "../adapters/github/repo-config.ts";
import { GitHubIssueTracker } from "../adapters/github/issue-tracker.ts";
import type { AppRepoConfig } from "../config/app-config.ts";
import { InvalidInputError, LeaseHeldError, formatProblems } from "../core/errors.ts";
import type { AppOptions } from "./options.ts";
import type { IssueServices } from "./repo-services.ts";

/** Runs a task until it ends or waits, then writes the last status. Another worker's lease is fine. */
export async function runIssue(
  app: AppOptions,
  services: IssueServices,
  task: string,
): Promise<void> {
  try {
    await services.engine.run(task);
  } catch (error) {
    if (!(error instanceof LeaseHeldError)) throw error;
    app.logger.info({ task }, "task is run by another worker");
  } finally {
    await services.tracker.flush();
  }
}

/**
 * The repository's config from its default branch. An invalid file gets one comment on the
 * issue listing the problems (found again by its marker), and nothing else happens.
 */
export async function configOrComplain(
  app: AppOptions,
  github: GitHub,
  repo: RepoRef,
  defaultBranch: string,
  issue: number,
): Promise<AppRepoConfig | null> {
  try {
    return await readRepoConfig(github, repo, defaultBranch);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    await reply(
      app,
      github,
      repo,
      issue,
      `config:${issue}`,
      `### orchestrator cannot start: \`${error.source}\` is invalid\n\n${formatProblems(error.problems)}\n\nFix the file on the default branch and label the issue again.`,
    );
    return null;
  }
}

/** A short answer on the issue, posted once per key (found again by its marker). */
export async function reply(
  app: AppOptions,
  github: GitHub,
  repo: RepoRef,
  issue: number,
  key: string,
  text: string,
): Promise<void> {
  const tracker = new GitHubIssueTracker({ github, repo, issue, now: () => app.clock.now() });
  await tracker.ensureComment({ task: String(issue), key, body: text });
}
