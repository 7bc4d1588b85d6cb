import { createTraffic } from "../engine/calls/traffic.ts";
import type { StateBranchStore } from "../adapters/github/state-branch-store.ts";
import type { ApplicationFunction, Probot } from "probot";
import { onChecksDone } from "./handlers/checks.ts";
import { onComment } from "./handlers/comment.ts";
import { onLabeled } from "./handlers/labeled.ts";
import type { AppOptions, PooledRecords } from "./options.ts";
import {
  CheckSuitePayload,
  ClosedPayload,
  CommentPayload,
  LabeledPayload,
  ReviewCommentPayload,
  ReviewPayload,
  WorkflowRunPayload,
} from "./payloads.ts";
import { onPullRequestClosed, onReview } from "./handlers/review.ts";
import { sweep } from "./sweep.ts";
import { guardLogger } from "../engine/boundary.ts";
import { WorkQueue } from "./work-queue.ts";
import type { GitHub } from "../adapters/github/client.ts";
import { useGitHubErrors } from "../adapters/github/errors.ts";
import {
  ConditionalCache,
  useConditionalRequests,
} from "../adapters/github/conditional-requests.ts";

export interface OrchestratorApp {
  /** The Probot application function. */
  readonly appFn: ApplicationFunction;
  /** Webhook work runs here, after the webhook is acknowledged. */
  readonly queue: WorkQueue;
  /** Runs the sweep once (the app also runs it at start-up and on its timer). */
  sweep(): Promise<number>;
}

/** Handlers only turn webhooks into queued engine work; no decision is made here. */
export function createApp(given: AppOptions): OrchestratorApp {
  const cache = given.conditional ?? new ConditionalCache();
  const options: AppOptions = {
    ...given,
    // The app's own log lines (handlers, queue, sweep) are redacted like the engine's.
    logger: guardLogger(given.logger, given.secrets),
    stateStores: given.stateStores ?? new Map<string, StateBranchStore>(),
    conditional: cache,
    installationRecords: given.installationRecords ?? (new Map() as PooledRecords),
    traffic: given.traffic ?? createTraffic({ now: () => given.clock.now() }),
  };
  // Every client this app is given makes its repeated reads conditional.
  const client = (github: GitHub, installation: number): GitHub =>
    useGitHubErrors(useConditionalRequests(github, cache, installation));
  const queue = new WorkQueue({ limits: options.queue, logger: options.logger });
  let probot: Probot | null = null;
  const runSweep = async (): Promise<number> => {
    const current = probot;
    if (!current) return 0;
    return sweep(options, async (id) => client(await probotAuth(current, id), id ?? 0));
  };

  const appFn: ApplicationFunction = (app) => {
    probot = app;
    app.on("issues.labeled", (context) => {
      const p = LabeledPayload.safeParse(context.payload);
      if (p.success)
        queue.enqueue(p.data.installation.id, context.id, () =>
          onLabeled(options, client(context.octokit, p.data.installation.id), p.data),
        );
    });
    app.on("issue_comment.created", (context) => {
      const p = CommentPayload.safeParse(context.payload);
      if (p.success)
        queue.enqueue(p.data.installation.id, context.id, () =>
          onComment(options, client(context.octokit, p.data.installation.id), p.data),
        );
    });
    app.on(["check_suite.completed", "workflow_run.completed"], (context) => {
      const suite = CheckSuitePayload.safeParse(context.payload);
      const run = WorkflowRunPayload.safeParse(context.payload);
      const head = suite.success
        ? { ...suite.data, ...suite.data.check_suite }
        : run.success
          ? { ...run.data, ...run.data.workflow_run }
          : null;
      if (!head) return;
      queue.enqueue(head.installation.id, context.id, () =>
        onChecksDone(options, client(context.octokit, head.installation.id), {
          repo: { owner: head.repository.owner.login, repo: head.repository.name },
          defaultBranch: head.repository.default_branch,
          headSha: head.head_sha,
          headBranch: head.head_branch,
        }),
      );
    });
    app.on("pull_request.closed", (context) => {
      const p = ClosedPayload.safeParse(context.payload);
      if (!p.success) return;
      const d = p.data;
      queue.enqueue(d.installation.id, context.id, () =>
        onPullRequestClosed(options, client(context.octokit, d.installation.id), {
          repo: { owner: d.repository.owner.login, repo: d.repository.name },
          defaultBranch: d.repository.default_branch,
          pull: d.pull_request.number,
          branch: d.pull_request.head.ref,
          merged: d.pull_request.merged === true,
        }),
      );
    });
    app.on("pull_request_review.submitted", (context) => {
      const p = ReviewPayload.safeParse(context.payload);
      if (!p.success || p.data.sender.type === "Bot") return;
      const d = p.data;
      queue.enqueue(d.installation.id, context.id, () =>
        onReview(options, client(context.octokit, d.installation.id), {
          repo: { owner: d.repository.owner.login, repo: d.repository.name },
          defaultBranch: d.repository.default_branch,
          pull: d.pull_request.number,
          branch: d.pull_request.head.ref,
          review: d.review.id,
        }),
      );
    });
    app.on("pull_request_review_comment.created", (context) => {
      const p = ReviewCommentPayload.safeParse(context.payload);
      const review = p.success ? p.data.comment.pull_request_review_id : null;
      if (!p.success || review === null || p.data.sender.type === "Bot") return;
      const d = p.data;
      queue.enqueue(d.installation.id, context.id, () =>
        onReview(options, client(context.octokit, d.installation.id), {
          repo: { owner: d.repository.owner.login, repo: d.repository.name },
          defaultBranch: d.repository.default_branch,
          pull: d.pull_request.number,
          branch: d.pull_request.head.ref,
          review,
        }),
      );
    });
    app.on("installation.created", (context) => {
      options.logger.info({ installation: context.payload.installation.id }, "installed");
    });
    queue.enqueue(0, `sweep:start:${options.owner}`, async () => {
      await runSweep();
    });
    if (options.sweepIntervalMs > 0) {
      setInterval(() => {
        queue.enqueue(0, `sweep:${String(options.clock.now())}`, async () => {
          await runSweep();
        });
      }, options.sweepIntervalMs).unref();
    }
  };

  return { appFn, queue, sweep: runSweep };
}

/** The app's client (no id) or an installation's, from Probot. */
async function probotAuth(probot: Probot, installation: number | undefined): Promise<GitHub> {
  return installation === undefined ? probot.auth() : probot.auth(installation);
}
