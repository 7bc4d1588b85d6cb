import type { GitHub, RepoRef } from "../adapters/github/api/client.ts";
import { GitHubIssueTracker } from "../adapters/github/repository/issue-tracker.ts";
import { canWrite, readRepoConfig } from "../adapters/github/repository/repo-config.ts";
import type { AppRepoConfig } from "../config/app-config.ts";
import { InvalidInputError, LeaseHeldError } from "../core/errors.ts";
import { configProblemsComment } from "../core/report/comments.ts";
import type { AppOptions } from "./options.ts";
import { issueServices, type IssueServices } from "./repo-services.ts";
import type { RunOptions, WakeResult } from "../engine/engine.ts";
import type { OutsideEvent } from "../engine/outside-event.ts";

export interface IssueRef {
  readonly repo: RepoRef;
  readonly defaultBranch: string;
  readonly issue: number;
  /** Labels the issue had when the webhook was sent, to avoid reading them again. */
  readonly labels?: readonly string[];
}

/**
 * One issue of one repository, opened once per delivery: the actor's permission is asked first
 * and remembered, the config is read at most once, the engine is built only when needed, and one
 * tracker serves the engine and every reply.
 */
export interface IssueContext {
  readonly app: AppOptions;
  readonly github: GitHub;
  readonly ref: IssueRef;
  readonly tracker: GitHubIssueTracker;
  /** Whether a user may drive tasks: admin, maintain or write (triage can label, but is not enough). */
  canWrite(user: string): Promise<boolean>;
  /** The repository's config; an invalid one gets one comment listing its problems, and null. */
  config(): Promise<AppRepoConfig | null>;
  /** The engine and ports for this issue (null when the config is invalid). */
  services(): Promise<IssueServices | null>;
  /** A short answer on the issue, posted once per key. */
  reply(key: string, text: string): Promise<void>;
  /**
   * Runs the task until it ends or waits (after applying `after`, a CI verdict, if given), then
   * writes the last status. Another worker's lease is fine.
   */
  run(task: string, options?: RunOptions): Promise<void>;
  /**
   * Tells the task of an outside event (`Engine.wake`: applied if it applies, then run), then
   * writes the last status. Null when the config is invalid.
   */
  wake(task: string, event: OutsideEvent): Promise<WakeResult | null>;
}

export function openIssue(
  app: AppOptions,
  github: GitHub,
  ref: IssueRef,
  /** The config when the caller has read it already (the sweep, once per repository). */
  known?: AppRepoConfig,
): IssueContext {
  const tracker = new GitHubIssueTracker({
    github,
    repo: ref.repo,
    issue: ref.issue,
    appId: app.appId,
    now: () => app.clock.now(),
    debounceMs: app.statusDebounceMs,
    ...(ref.labels ? { labels: ref.labels } : {}),
  });
  const permissions = new Map<string, Promise<boolean>>();
  let config: Promise<AppRepoConfig | null> | null = known ? Promise.resolve(known) : null;
  let services: Promise<IssueServices | null> | null = null;

  const context: IssueContext = {
    app,
    github,
    ref,
    tracker,
    canWrite(user) {
      let answer = permissions.get(user);
      if (!answer) {
        answer = canWrite(github, ref.repo, user);
        permissions.set(user, answer);
      }
      return answer;
    },
    config() {
      config ??= readRepoConfig(github, ref.repo, ref.defaultBranch).catch(
        async (error: unknown) => {
          if (!(error instanceof InvalidInputError)) throw error;
          await context.reply(`config:${ref.issue}`, configProblemsComment(error));
          return null;
        },
      );
      return config;
    },
    services() {
      services ??= context
        .config()
        .then((c) =>
          c
            ? issueServices(
                app,
                { github, repo: ref.repo, defaultBranch: ref.defaultBranch, config: c },
                ref.issue,
                tracker,
              )
            : null,
        );
      return services;
    },
    async reply(key, text) {
      await tracker.ensureComment({ task: String(ref.issue), key, body: text });
    },
    async run(task, options) {
      const s = await context.services();
      if (!s) return;
      try {
        await s.engine.run(task, options);
      } catch (error) {
        if (!(error instanceof LeaseHeldError)) throw error;
        app.logger.info({ task }, "task is run by another worker");
      } finally {
        await tracker.flush();
      }
    },
    async wake(task, event) {
      const s = await context.services();
      if (!s) return null;
      try {
        return await s.engine.wake(task, event);
      } finally {
        await tracker.flush();
      }
    },
  };
  return context;
}
