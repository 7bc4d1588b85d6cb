import { engineSettings } from "../config/engine-settings.ts";
import { join } from "node:path";
import type { GitHub, RepoRef } from "../adapters/github/api/client.ts";
import { ChecksGate } from "../adapters/github/repository/checks-gate.ts";
import { GitHubCodeHost } from "../adapters/github/repository/code-host.ts";
import { GitHubIssueTracker } from "../adapters/github/repository/issue-tracker.ts";
import { RemoteWorkspace } from "../adapters/github/repository/remote-workspace.ts";
import { StateBranchStore } from "../adapters/github/state/state-branch-store.ts";
import type { AppRepoConfig } from "../config/app-config.ts";
import { buildRegistry } from "../core/models/registry.ts";
import { createEngine, type Engine } from "../engine/engine.ts";
import { createResolver } from "../providers/registry.ts";
import type { DayLimit } from "../engine/calls/day-spend.ts";
import { spentOnDay } from "../engine/calls/day-seed.ts";
import type { AppOptions } from "./options.ts";
import { installationRecords } from "./installation-records.ts";

/**
 * The author when the host knows no App (the Action with `GITHUB_TOKEN`): that token's bot
 * user, github-actions[bot], whose id is 41898282.
 */
export const FALLBACK_AUTHOR = {
  name: "github-actions[bot]",
  email: "41898282+github-actions[bot]@users.noreply.github.com",
};

export interface RepoContext {
  readonly github: GitHub;
  readonly repo: RepoRef;
  readonly defaultBranch: string;
  readonly config: AppRepoConfig;
}

export interface IssueServices {
  readonly engine: Engine;
  readonly tracker: GitHubIssueTracker;
  readonly gate: ChecksGate;
  readonly store: StateBranchStore;
}

/** The repository's state store, shared by this process's tasks of that repository. */
export function stateStoreFor(app: AppOptions, ctx: RepoContext): StateBranchStore {
  const { github, repo, config } = ctx;
  const key = `${repo.owner}/${repo.repo}@${config.state_branch}`;
  const store =
    app.stateStores?.get(key) ??
    new StateBranchStore({ github, repo, branch: config.state_branch });
  app.stateStores?.set(key, store);
  return store;
}

/** The engine for one issue of one repository, on GitHub adapters. */
export function issueServices(
  app: AppOptions,
  ctx: RepoContext,
  issue: number,
  tracker: GitHubIssueTracker,
): IssueServices {
  const { github, repo, config } = ctx;
  const store = stateStoreFor(app, ctx);
  const commitAuthor = app.commitAuthor;
  const gate = new ChecksGate({
    github,
    repo,
    baseBranch: ctx.defaultBranch,
    required: config.gate.required_checks,
    rerunFailed: config.gate.rerun_failed,
    trustedApps: config.gate.trusted_apps,
    neutralPasses: config.gate.neutral_passes,
  });
  const { resolve, providers } = createResolver(app.clients);
  const engine = createEngine({
    store,
    tracker,
    codeHost: new GitHubCodeHost({
      github,
      repo,
      issue,
      baseBranch: ctx.defaultBranch,
      ownLogin: async () => (commitAuthor ? await commitAuthor(github) : FALLBACK_AUTHOR).name,
      detailsUrl: `${app.webUrl ?? `https://${app.webHost}`}/${repo.owner}/${repo.repo}/issues/${String(issue)}`,
    }),
    workspace: new RemoteWorkspace({
      cloneUrl: app.cloneUrl(repo),
      defaultBranch: ctx.defaultBranch,
      token: async () => ((await github.auth({ type: "installation" })) as { token: string }).token,
      directory: join(app.workDir, repo.owner, repo.repo),
      author: commitAuthor ? () => commitAuthor(github) : FALLBACK_AUTHOR,
    }),
    gate,
    models: resolve,
    providers,
    prompts: app.prompts,
    ...(app.traffic ? { traffic: app.traffic } : {}),
    dayLimits: dayLimits(app, ctx, store),
    registry: buildRegistry(app.models, config.models, {
      source: ".github/orchestrator.yml",
      mayLowerPrices: false,
    }),
    clock: app.clock,
    logger: app.logger.child({ repo: `${repo.owner}/${repo.repo}`, issue }),
    tracer: app.tracer,
    meter: app.meter,
    sleep: app.sleep,
    random: app.random,
    installationRecords: installationRecords(app, github, repo, config.state_branch),
    ...(app.stop ? { stop: app.stop } : {}),
    boundary: {
      secrets: app.secrets,
      allowedHosts: [app.webHost, ...config.allowed_link_hosts],
    },
    settings: engineSettings(config, {
      owner: app.owner,
      // Workers run on many hosts; only an expired lease is taken over.
      ownerAlive: () => true,
      leaseMs: app.leaseMs,
      gateScripts: config.gate.scripts.flatMap((name) => [name, `pre${name}`, `post${name}`]),
      gateStartMinutes: config.gate.start_timeout_minutes,
    }),
  });
  return { engine, tracker, gate, store };
}

/**
 * The day budgets of a repository's calls. The repository's count starts from its state
 * branch's ledgers; the installation's (one account) is counted by this process.
 */
function dayLimits(app: AppOptions, ctx: RepoContext, store: StateBranchStore): DayLimit[] {
  const limits: DayLimit[] = [];
  const { repositoryUsd, installationUsd } = app.dayBudgets ?? {};
  if (repositoryUsd !== undefined)
    limits.push({
      scope: "repository",
      key: `${ctx.repo.owner}/${ctx.repo.repo}`,
      limitUsd: repositoryUsd,
      seed: spentOnDay(store),
    });
  if (installationUsd !== undefined)
    limits.push({ scope: "installation", key: ctx.repo.owner, limitUsd: installationUsd });
  return limits;
}
