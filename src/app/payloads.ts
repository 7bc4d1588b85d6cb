import { z } from "zod";

/** The fields of webhook payloads that the app reads; nothing else is trusted to be there. */
const User = z.object({ login: z.string(), type: z.string() });
const Repository = z.object({
  name: z.string(),
  owner: z.object({ login: z.string() }),
  default_branch: z.string(),
});
/** Webhooks to an App carry it; the event payloads of a GitHub Actions run need not. */
const Installation = z.object({ id: z.number().int() }).optional();
const Label = z.object({ name: z.string() });

export const LabeledPayload = z.object({
  action: z.literal("labeled"),
  label: Label,
  issue: z.object({
    number: z.number().int(),
    title: z.string(),
    body: z.string().nullable(),
    labels: z.array(Label),
    pull_request: z.unknown().optional(),
  }),
  repository: Repository,
  installation: Installation,
  sender: User,
});

export const CommentPayload = z.object({
  action: z.literal("created"),
  comment: z.object({
    id: z.number().int(),
    body: z.string(),
    created_at: z.string(),
    user: User,
    performed_via_github_app: z.unknown().nullable().optional(),
  }),
  issue: z.object({ number: z.number().int() }),
  repository: Repository,
  installation: Installation,
  sender: User,
});

export const CheckSuitePayload = z.object({
  check_suite: z.object({ head_sha: z.string(), head_branch: z.string().nullable() }),
  repository: Repository,
  installation: Installation,
});

export const WorkflowRunPayload = z.object({
  workflow_run: z.object({ head_sha: z.string(), head_branch: z.string().nullable() }),
  repository: Repository,
  installation: Installation,
});

const ReviewedPull = z.object({
  number: z.number().int(),
  head: z.object({ ref: z.string() }),
});

/** `pull_request_review.submitted`. */
export const ReviewPayload = z.object({
  action: z.literal("submitted"),
  review: z.object({ id: z.number().int(), state: z.string(), user: User.nullable() }),
  pull_request: ReviewedPull,
  repository: Repository,
  installation: Installation,
  sender: User,
});

/** `pull_request_review_comment.created`: a comment belongs to a review, which is what is read. */
export const ReviewCommentPayload = z.object({
  action: z.literal("created"),
  comment: z.object({ pull_request_review_id: z.number().int().nullable() }),
  pull_request: ReviewedPull,
  repository: Repository,
  installation: Installation,
  sender: User,
});

/** `pull_request.closed`: merged or not. */
export const ClosedPayload = z.object({
  action: z.literal("closed"),
  pull_request: z.object({
    number: z.number().int(),
    merged: z.boolean().nullable().optional(),
    merge_commit_sha: z.string().nullable().optional(),
    head: z.object({ ref: z.string() }),
  }),
  repository: Repository,
  installation: Installation,
});

export type ReviewPayload = z.infer<typeof ReviewPayload>;
export type LabeledPayload = z.infer<typeof LabeledPayload>;
export type CommentPayload = z.infer<typeof CommentPayload>;
