import { z } from "zod";
import type { GitHub, RepoRef } from "../adapters/github/api/client.ts";
import { readRepoConfig } from "../adapters/github/repository/repo-config.ts";
import { totalCost } from "../core/cost/ledger.ts";
import type { TaskState } from "../core/task/document.ts";
import { issueOfBranch, taskIdOfIssue } from "../core/task/task-ref.ts";
import type { AppOptions } from "../app/options.ts";
import { stateStoreFor } from "../app/repo-services.ts";

/** Where a task stands after a run, for the Action's outputs and job summary. */
export interface TaskOutcome {
  /** The issue the task is for (its id on GitHub). */
  readonly issue: number;
  readonly state: TaskState;
  /** The task's pull request, once it has one. */
  readonly pullRequest: number | null;
  /** Dollars its model calls have cost. */
  readonly costUsd: number;
}

/** The payload fields that name a task: an issue, or a task branch. */
const Concerned = z.object({
  repository: z.object({ default_branch: z.string() }),
  issue: z.object({ number: z.number().int().positive() }).optional(),
  pull_request: z.object({ head: z.object({ ref: z.string() }) }).optional(),
  workflow_run: z.object({ head_branch: z.string().nullable() }).optional(),
});

/**
 * The task an event concerned, read back from the state branch after the handler ran; null
 * when the event names no task or its repository has no valid config (the handler has said so).
 */
export async function taskOutcome(
  app: AppOptions,
  github: GitHub,
  repo: RepoRef,
  payload: unknown,
): Promise<TaskOutcome | null> {
  const event = Concerned.safeParse(payload);
  if (!event.success) return null;
  const defaultBranch = event.data.repository.default_branch;
  const config = await readRepoConfig(github, repo, defaultBranch).catch(() => null);
  if (!config) return null;
  const branch = event.data.pull_request?.head.ref ?? event.data.workflow_run?.head_branch ?? null;
  const issue =
    event.data.issue?.number ?? (branch ? issueOfBranch(branch, config.branch_prefix) : null);
  if (issue === null) return null;
  const store = stateStoreFor(app, { github, repo, defaultBranch, config });
  const stored = await store.load(taskIdOfIssue(issue)).catch(() => null);
  if (!stored) return null;
  const doc = stored.document;
  const pull = /^(\d+):/.exec(doc.pullRequest ?? "");
  return {
    issue,
    state: doc.state,
    pullRequest: pull ? Number(pull[1]) : null,
    costUsd: totalCost(doc.ledger),
  };
}
