import type { Probot } from "probot";
import type { GitHub, RepoRef } from "../adapters/github/client.ts";
import { readRepoConfig } from "../adapters/github/repo-config.ts";
import { TERMINAL_STATES } from "../core/task/document.ts";
import { awaitingGate } from "../core/task/transition.ts";
import type { AppOptions } from "./options.ts";
import { issueServices, stateStoreFor } from "./repo-services.ts";
import { runIssue } from "./run-issue.ts";
import { startTask } from "./start-task.ts";

/**
 * GitHub sends each webhook once and we may die mid-task, so at start-up and on a timer every
 * installation's tasks are looked at: one whose lease expired (or has none) and still has work
 * is resumed, and one waiting for checks that have already finished gets their verdict.
 * Returns how many tasks it resumed.
 */
export async function sweep(app: AppOptions, probot: Probot): Promise<number> {
  const appClient = await probot.auth();
  const installations = await appClient.paginate(appClient.rest.apps.listInstallations, {
    per_page: 100,
  });
  let resumed = 0;
  for (const installation of installations) {
    const github = await probot.auth(installation.id);
    const repos = await github.paginate(github.rest.apps.listReposAccessibleToInstallation, {
      per_page: 100,
    });
    for (const r of repos) {
      const repo = { owner: r.owner.login, repo: r.name };
      try {
        resumed += await sweepRepo(app, github, repo, r.default_branch);
      } catch (error) {
        app.logger.warn(
          { repo: `${repo.owner}/${repo.repo}`, err: error },
          "sweep skipped a repository",
        );
      }
    }
  }
  return resumed;
}

/**
 * A label event whose work died before the task was saved is never sent again: open issues with
 * the label and no task are started here, on behalf of whoever added the label last.
 */
async function startMissedTasks(
  app: AppOptions,
  ctx: {
    github: GitHub;
    repo: RepoRef;
    defaultBranch: string;
    config: Awaited<ReturnType<typeof readRepoConfig>>;
  },
  known: ReadonlySet<string>,
): Promise<number> {
  const { github, repo, config } = ctx;
  const issues = await github.paginate(github.rest.issues.listForRepo, {
    ...repo,
    labels: config.label,
    state: "open",
    per_page: 100,
  });
  let started = 0;
  for (const issue of issues) {
    if (issue.pull_request || known.has(String(issue.number))) continue;
    const events = await github.paginate(github.rest.issues.listEvents, {
      ...repo,
      issue_number: issue.number,
      per_page: 100,
    });
    const labelled = events
      .filter(
        (e) =>
          e.event === "labeled" &&
          (e as { label?: { name?: string } }).label?.name === config.label,
      )
      .at(-1);
    if (!labelled?.actor || labelled.actor.type === "Bot") continue;
    app.logger.info({ issue: issue.number }, "sweep starts a task whose label event was lost");
    const labels = issue.labels.map((l) => (typeof l === "string" ? l : (l.name ?? "")));
    await startTask(
      app,
      github,
      repo,
      ctx.defaultBranch,
      config,
      { number: issue.number, title: issue.title, body: issue.body ?? null, labels },
      labelled.actor.login,
    );
    started += 1;
  }
  return started;
}

async function sweepRepo(
  app: AppOptions,
  github: GitHub,
  repo: RepoRef,
  defaultBranch: string,
): Promise<number> {
  const config = await readRepoConfig(github, repo, defaultBranch);
  const ctx = { github, repo, defaultBranch, config };
  let resumed = 0;
  const known = await stateStoreFor(app, ctx).list();
  resumed += await startMissedTasks(app, ctx, new Set(known));
  for (const id of known) {
    const issue = Number(id);
    if (!Number.isInteger(issue)) continue;
    const services = issueServices(app, ctx, issue);
    const stored = await services.store.load(id);
    const doc = stored?.document;
    // A finished or waiting task can still owe effects (its last comments, the pull request).
    if (
      !doc ||
      (doc.outbox.length === 0 &&
        (TERMINAL_STATES.has(doc.state) || doc.state === "awaiting_human"))
    )
      continue;
    if (doc.lease && doc.lease.owner !== app.owner && Date.parse(doc.lease.until) > app.clock.now())
      continue;
    const waitingFor = awaitingGate(doc);
    if (waitingFor !== null) {
      const result = await services.gate.resultFor(waitingFor);
      if (!result) continue;
      await services.engine.deliver(id, {
        type: "gate_result",
        at: new Date(app.clock.now()).toISOString(),
        commit: waitingFor,
        result,
      });
    } else if (doc.outbox.length === 0) continue;
    app.logger.info({ task: id, state: doc.state }, "sweep resumes task");
    await runIssue(app, services, id);
    resumed += 1;
  }
  return resumed;
}
