import type { Records } from "../core/learning/analytics.ts";
import type { ModelTable } from "../core/models/registry.ts";
import type { EngineDeps } from "../engine/deps.ts";
import type { ModelTraffic } from "../engine/calls/traffic.ts";
import type { LanguageModel } from "../ports/language-model.ts";
import type { RepoRef } from "../adapters/github/api/client.ts";
import type { QueueLimits } from "./work-queue.ts";
import type { StateBranchStore } from "../adapters/github/state/state-branch-store.ts";
import type { ConditionalCache } from "../adapters/github/api/conditional-requests.ts";
import type { RunStop } from "../engine/run-stop.ts";
import type { CommitAuthor } from "../adapters/github/api/app-identity.ts";
import type { GitHub } from "../adapters/github/api/client.ts";

/** Installations' pooled learning records by `<owner>@<state branch>`, with when they were read. */
export type PooledRecords = Map<
  string,
  { readonly at: number; readonly byRepository: Promise<ReadonlyMap<string, Records>> }
>;

/** Everything the app is given by its host (the Probot server, a test, a benchmark). */
export interface AppOptions extends Pick<
  EngineDeps,
  "prompts" | "clock" | "logger" | "tracer" | "meter" | "sleep" | "random"
> {
  /** The model table (`models.yaml`); each repository's config may add to it. */
  readonly models: ModelTable;
  /** This GitHub App's id: comments are ours only when this app made them. */
  readonly appId: number;
  readonly clients: readonly LanguageModel[];
  /** Key values to redact everywhere. */
  readonly secrets: readonly string[];
  /** The GitHub web host (github.com, or a GitHub Enterprise Server's): links to it stay links. */
  readonly webHost: string;
  /** The GitHub web root with its protocol (GitHub Enterprise Server may serve http); default `https://<webHost>`. */
  readonly webUrl?: string;
  /** Where task clones live. */
  readonly workDir: string;
  /** The URL git clones a repository from (HTTPS; GitHub Enterprise Server; a local path in tests). */
  readonly cloneUrl: (repo: RepoRef) => string;
  /** This worker's name in task leases. */
  readonly owner: string;
  readonly leaseMs: number;
  readonly queue: QueueLimits;
  /** At most one status comment edit per this many milliseconds while a task runs. */
  readonly statusDebounceMs: number;
  /** How often the sweep runs; 0 turns the timer off (it still runs at start-up). */
  readonly sweepIntervalMs: number;
  /**
   * Replicas take turns (`leaseMs` long) sweeping each installation, claimed by a ref in its
   * lowest-id repository, instead of every replica sweeping every repository.
   */
  readonly takeTurns: boolean;
  /**
   * State stores by repository and branch, shared by the tasks of this process so that what
   * one run learnt about the branch (its head, task versions, journal) saves requests in the
   * next. `createApp` makes one when none is given.
   */
  readonly stateStores?: Map<string, StateBranchStore>;
  /** Circuits, token buckets and day spend shared by every task of this process. `createApp` makes one. */
  readonly traffic?: ModelTraffic;
  /** Day budgets in dollars; a call that could pass one is not made. */
  readonly dayBudgets?: {
    readonly repositoryUsd?: number | undefined;
    readonly installationUsd?: number | undefined;
  };
  /** Earlier GET answers and their ETags, so repeated reads are conditional. `createApp` makes one. */
  readonly conditional?: ConditionalCache;
  /**
   * Who the App's commits are by, asked with an installation's client: the App's bot user
   * (`createApp` looks it up once per process). Hosts without one commit as `FALLBACK_AUTHOR`.
   */
  readonly commitAuthor?: (github: GitHub) => Promise<CommitAuthor>;
  /** How the process stops its task runs (SIGTERM). `createApp` makes one. */
  readonly stop?: RunStop;
  /** Installations' pooled learning records, read at most once an hour (routing strategies other than `baseline`). */
  readonly installationRecords?: PooledRecords;
}
