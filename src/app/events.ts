import type { GitHub } from "../adapters/github/api/client.ts";
import { inSpan } from "../engine/telemetry.ts";
import { onChecksDone } from "./handlers/checks.ts";
import { onComment } from "./handlers/comment.ts";
import { onLabeled } from "./handlers/labeled.ts";
import { onPullRequestClosed, onReview } from "./handlers/review.ts";
import type { AppOptions } from "./options.ts";
import {
  CheckSuitePayload,
  ClosedPayload,
  CommentPayload,
  LabeledPayload,
  ReviewCommentPayload,
  ReviewPayload,
  WorkflowRunPayload,
} from "./payloads.ts";

/** The events the app acts on, as `<event>.<action>`; every host subscribes to these. */
export const EVENT_NAMES = [
  "issues.labeled",
  "issue_comment.created",
  "check_suite.completed",
  "workflow_run.completed",
  "pull_request.closed",
  "pull_request_review.submitted",
  "pull_request_review_comment.created",
] as const;

/**
 * Events GitHub sends every App without a subscription (and refuses in a manifest's
 * `default_events`) that the App handles itself, outside `eventWork`.
 */
export const UNSUBSCRIBED_EVENT_NAMES = ["installation.created"] as const;

/** One event's work: which installation it counts against, and the handler call. */
export interface EventWork {
  readonly installation: number;
  run(app: AppOptions, github: GitHub): Promise<void>;
}

interface RepositoryEvent {
  readonly repository: {
    readonly name: string;
    readonly owner: { readonly login: string };
    readonly default_branch: string;
  };
  readonly installation?: { readonly id: number } | undefined;
}

const where = (p: RepositoryEvent) => ({
  repo: { owner: p.repository.owner.login, repo: p.repository.name },
  defaultBranch: p.repository.default_branch,
});

const pullOf = (
  p: RepositoryEvent & { readonly pull_request: { number: number; head: { ref: string } } },
) => ({ ...where(p), pull: p.pull_request.number, branch: p.pull_request.head.ref });

/** The event's work, in a span that the task's spans (task, step, model call, gate) nest under. */
function work(name: string, p: RepositoryEvent, run: EventWork["run"]): EventWork {
  const installation = p.installation?.id ?? 0;
  const attributes = {
    "github.event": name,
    "github.repository": `${p.repository.owner.login}/${p.repository.name}`,
    "github.installation.id": installation,
  };
  return {
    installation,
    run: (app, github) => inSpan(app.tracer, "github.event", attributes, () => run(app, github)),
  };
}

/**
 * What an event asks of the app, or null when it asks nothing (another action, a bot's own
 * event, a payload without the fields we read). Only turns payloads into handler calls: the
 * App's webhooks and the Action's event file both come through here.
 */
export function eventWork(name: string, payload: unknown): EventWork | null {
  switch (name) {
    case "issues.labeled": {
      const p = LabeledPayload.safeParse(payload);
      return p.success ? work(name, p.data, (app, github) => onLabeled(app, github, p.data)) : null;
    }
    case "issue_comment.created": {
      const p = CommentPayload.safeParse(payload);
      return p.success ? work(name, p.data, (app, github) => onComment(app, github, p.data)) : null;
    }
    case "check_suite.completed":
    case "workflow_run.completed": {
      const suite = CheckSuitePayload.safeParse(payload);
      const run = WorkflowRunPayload.safeParse(payload);
      const head = suite.success
        ? { ...suite.data, ...suite.data.check_suite }
        : run.success
          ? { ...run.data, ...run.data.workflow_run }
          : null;
      if (!head) return null;
      return work(name, head, (app, github) =>
        onChecksDone(app, github, {
          ...where(head),
          headSha: head.head_sha,
          headBranch: head.head_branch,
        }),
      );
    }
    case "pull_request.closed": {
      const p = ClosedPayload.safeParse(payload);
      if (!p.success) return null;
      const merged = p.data.pull_request.merged === true;
      const mergeCommit = p.data.pull_request.merge_commit_sha ?? null;
      return work(name, p.data, (app, github) =>
        onPullRequestClosed(app, github, { ...pullOf(p.data), merged, mergeCommit }),
      );
    }
    case "pull_request_review.submitted": {
      const p = ReviewPayload.safeParse(payload);
      if (!p.success || p.data.sender.type === "Bot") return null;
      const review = p.data.review.id;
      return work(name, p.data, (app, github) =>
        onReview(app, github, { ...pullOf(p.data), review }),
      );
    }
    case "pull_request_review_comment.created": {
      const p = ReviewCommentPayload.safeParse(payload);
      const review = p.success ? p.data.comment.pull_request_review_id : null;
      if (!p.success || review === null || p.data.sender.type === "Bot") return null;
      return work(name, p.data, (app, github) =>
        onReview(app, github, { ...pullOf(p.data), review }),
      );
    }
    default:
      return null;
  }
}
