import { z } from "zod";
import type { GitHub, RepoRef } from "../adapters/github/api/client.ts";
import {
  Installation,
  InstalledRepository,
  ListedIssue,
} from "../adapters/github/api/responses.ts";
import { labelHistory } from "../adapters/github/sweep/label-history.ts";
import { readRepoConfig, repoConfigFromText } from "../adapters/github/repository/repo-config.ts";
import { openTasksOf } from "../adapters/github/state/state-branch-store.ts";
import { claimTurn } from "../adapters/github/sweep/sweep-turn.ts";
import { sweepTurn, turnRepository } from "../core/sweep/turns.ts";
import { countLinesKept } from "./lines-kept.ts";
import type { RepoSweep } from "./repo-sweep.ts";
import {
  readRepositories,
  type RepositorySnapshot,
} from "../adapters/github/sweep/sweep-snapshot.ts";
import { AppRepoConfig } from "../config/app-config.ts";
import { CorruptStateError, OrchestratorError } from "../core/errors.ts";
import { relabelComment, stuckTaskComment } from "../core/report/comments.ts";
import { issueOfTask, taskIdOfIssue } from "../core/task/task-ref.ts";
import { openIssue, type IssueContext } from "./issue-context.ts";
import type { AppOptions } from "./options.ts";
import { stateStoreFor } from "./repo-services.ts";
import { startTask } from "./start-task.ts";

const DEFAULT_STATE_BRANCH = AppRepoConfig.parse({}).state_branch;

/** One repository as the sweep sees it. */

/**
 * GitHub sends each webhook once and we may die mid-task, so at start-up and on a timer every
 * installation's tasks are looked at: one whose lease expired (or has none) and still has work
 * is resumed, and one waiting for checks that have already finished gets their verdict. With
 * `takeTurns`, only the replica holding an installation's current turn sweeps it (`turns`
 * remembers, per installation, the turn this process last saw and whether it holds it).
 * Returns how many tasks it resumed or started.
 */
export async function sweep(
  app: AppOptions,
  auth: (installation?: number) => Promise<GitHub>,
  turns: SweepTurns = new Map(),
): Promise<number> {
  const appClient = await auth();
  const installations = z
    .array(Installation)
    .parse(await appClient.paginate(appClient.rest.apps.listInstallations, { per_page: 100 }));
  let resumed = 0;
  for (const installation of installations) {
    const turn = sweepTurn(installation.id, app.clock.now(), app.leaseMs);
    const known = turns.get(installation.id);
    if (app.takeTurns && known?.turn === turn && !known.mine) continue;
    const github = await auth(installation.id);
    const repos = z.array(InstalledRepository).parse(
      await github.paginate(github.rest.apps.listReposAccessibleToInstallation, {
        per_page: 100,
      }),
    );
    if (app.takeTurns && known?.turn !== turn) {
      const mine = await claim(app, github, repos, turn);
      turns.set(installation.id, { turn, mine });
      if (!mine) continue;
    }
    const listed = repos.map((r) => ({
      repo: { owner: r.owner.login, repo: r.name },
      defaultBranch: r.default_branch,
    }));
    // Most repositories have nothing to do: a few requests tell for all of them.
    const snapshots = await readRepositories(github, listed, DEFAULT_STATE_BRANCH).catch(
      (error: unknown) => {
        app.logger.warn({ err: error }, "sweep reads repositories one by one");
        return new Map<string, RepositorySnapshot>();
      },
    );
    for (const r of listed)
      resumed += await sweepRepository(
        app,
        github,
        r.repo,
        r.defaultBranch,
        snapshots.get(`${r.repo.owner}/${r.repo.repo}`),
      );
  }
  return resumed;
}

/** Which turn of each installation's sweep this process last looked at, and whether it holds it. */
export type SweepTurns = Map<number, { readonly turn: number; readonly mine: boolean }>;

/** Whether this process sweeps the installation for the turn; when turns cannot be taken, it does. */
async function claim(
  app: AppOptions,
  github: GitHub,
  repos: readonly z.infer<typeof InstalledRepository>[],
  turn: number,
): Promise<boolean> {
  const holder = turnRepository(repos);
  if (!holder) return true;
  const repo = { owner: holder.owner.login, repo: holder.name };
  try {
    const claimed = await claimTurn(github, repo, holder.default_branch, turn);
    app.logger.debug({ repo: `${repo.owner}/${repo.repo}`, turn, claimed }, "sweep turn");
    return claimed === "mine";
  } catch (error) {
    app.logger.warn(
      { repo: `${repo.owner}/${repo.repo}`, err: error },
      "sweep turn could not be taken: this replica sweeps the installation anyway",
    );
    return true;
  }
}

/**
 * The sweep of one repository (the Action's scheduled run sweeps its own), from what a snapshot
 * of it already tells when there is one. Never throws.
 */
export async function sweepRepository(
  app: AppOptions,
  github: GitHub,
  repo: RepoRef,
  defaultBranch: string,
  snapshot?: RepositorySnapshot,
): Promise<number> {
  try {
    const config =
      snapshot && snapshot.configText !== undefined
        ? repoConfigFromText(snapshot.configText, defaultBranch)
        : await readRepoConfig(github, repo, defaultBranch);
    const ctx = { github, repo, defaultBranch, config };
    // The snapshot answers for the default state branch, unless it predates the index.
    const { open, later } =
      snapshot?.stateBranch === config.state_branch &&
      (!snapshot.stateExists || snapshot.open !== null)
        ? { open: openTasksOf(snapshot.open ?? []), later: snapshot.later }
        : await stateStoreFor(app, ctx).index();
    // Each part on its own: labelled issues that cannot be listed do not stop open tasks.
    const part = (name: string, run: () => Promise<number>): Promise<number> =>
      run().catch((error: unknown) => {
        app.logger.warn(
          { repo: `${repo.owner}/${repo.repo}`, part: name, err: error },
          "sweep skipped a part",
        );
        return 0;
      });
    return (
      (await part("missed tasks", () => startMissedTasks(app, ctx))) +
      (await part("open tasks", () => resumeTasks(app, ctx, open))) +
      (await part("lines kept", () => countLinesKept(app, ctx, later)))
    );
  } catch (error) {
    app.logger.warn(
      { repo: `${repo.owner}/${repo.repo}`, err: error },
      "sweep skipped a repository",
    );
    return 0;
  }
}

/**
 * A label event whose work died before the task was saved is never sent again: open issues with
 * the label and no task are started here, but only as a person with write access approved them.
 * The label must have been added by such a person, and the issue not edited since; otherwise the
 * issue gets one comment asking for a fresh label (an edit after a refused label must not start
 * what nobody approved).
 */
async function startMissedTasks(app: AppOptions, sweep: RepoSweep): Promise<number> {
  const { github, repo, config } = sweep;
  const issues = z
    .array(ListedIssue)
    .parse(
      await github.paginate(github.rest.issues.listForRepo, {
        ...repo,
        labels: config.label,
        state: "open",
        per_page: 100,
      }),
    )
    .filter((issue) => !issue.pull_request);
  // One request tells which of the labelled issues already have a task.
  const known = await stateStoreFor(app, sweep).existing(
    issues.map((issue) => taskIdOfIssue(issue.number)),
  );
  let started = 0;
  for (const issue of issues) {
    if (known.has(taskIdOfIssue(issue.number))) continue;
    // One issue's failure (its timeline unreadable, a start that throws) is not the others'.
    started += await startMissedTask(app, sweep, issue).catch((error: unknown) => {
      app.logger.warn(
        { repo: `${repo.owner}/${repo.repo}`, issue: issue.number, err: error },
        "sweep could not start a labelled issue",
      );
      return 0;
    });
  }
  return started;
}

/** One labelled issue without a task: started (1) when a writer labelled it and it is unedited. */
async function startMissedTask(
  app: AppOptions,
  sweep: RepoSweep,
  issue: z.infer<typeof ListedIssue>,
): Promise<number> {
  const { github, repo, config } = sweep;
  const ctx = openIssue(
    app,
    github,
    {
      repo,
      defaultBranch: sweep.defaultBranch,
      issue: issue.number,
      labels: issue.labels.map((l) => (typeof l === "string" ? l : (l.name ?? ""))),
    },
    config,
  );
  const history = await labelHistory(github, repo, issue.number, config.label);
  const labelled = history?.labelled;
  if (!history || !labelled) return 0;
  const approved = labelled.isUser && (await ctx.canWrite(labelled.by));
  const edited =
    history.lastEditedAt !== null && Date.parse(history.lastEditedAt) > Date.parse(labelled.at);
  if (!approved || edited) {
    await ctx.reply(
      `relabel:${issue.number}`,
      relabelComment(config.label, approved ? "edited" : "labeller"),
    );
    return 0;
  }
  app.logger.info({ issue: issue.number }, "sweep starts a task whose label event was lost");
  await startTask(ctx, { title: history.title, body: history.body });
  return 1;
}

/**
 * Open tasks (from the store's index, not every task ever run) with work left and no live lease
 * are run; a task waiting for finished CI gets its verdict. Each task on its own: one that
 * cannot be loaded or run is reported on its issue (once) and the others go on.
 */
async function resumeTasks(
  app: AppOptions,
  sweep: RepoSweep,
  open: readonly string[],
): Promise<number> {
  let resumed = 0;
  for (const id of open) {
    const issue = issueOfTask(id);
    if (issue === null) continue;
    const ctx = openIssue(
      app,
      sweep.github,
      { repo: sweep.repo, defaultBranch: sweep.defaultBranch, issue },
      sweep.config,
    );
    try {
      // The engine decides: work owed, a free lease, a verdict or a wait too long.
      const woken = await ctx.wake(id, { type: "sweep" });
      if (!woken?.applied) continue;
      app.logger.info({ task: id, state: woken.document.state }, "sweep resumed task");
      resumed += 1;
    } catch (error) {
      await reportStuck(app, sweep, ctx, id, error);
    }
  }
  return resumed;
}

/**
 * A task the sweep could not load or run. A failure a retry may cure (a conflict, GitHub
 * unavailable) is only logged: the next sweep tries again. Anything else gets one comment on the
 * task's issue (by its key: a later sweep's failure edits nothing and posts nothing new).
 */
async function reportStuck(
  app: AppOptions,
  sweep: RepoSweep,
  ctx: IssueContext,
  task: string,
  error: unknown,
): Promise<void> {
  const repo = `${sweep.repo.owner}/${sweep.repo.repo}`;
  app.logger.warn({ repo, task, err: error }, "sweep could not go on with a task");
  if (error instanceof OrchestratorError && error.retryable) return;
  const what = error instanceof CorruptStateError ? "load" : "advance";
  const name = error instanceof Error && /^\w{1,60}$/.test(error.name) ? error.name : "an error";
  await ctx
    .reply(`stuck:${task}`, stuckTaskComment(task, what, sweep.config.state_branch, name))
    .catch((failure: unknown) => {
      app.logger.warn({ repo, task, err: failure }, "sweep could not report a stuck task");
    });
}
