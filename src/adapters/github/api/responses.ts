import { z } from "zod";

/**
 * The fields of GitHub's answers that the app reads, and nothing else: each answer is parsed
 * here before it is used, so a changed or missing field fails loudly where it arrives.
 */

/** `GET /repos/{o}/{r}/contents/{path}` for a file. */
export const ContentFile = z.object({
  type: z.literal("file"),
  size: z.number().int().nonnegative(),
  sha: z.string(),
  content: z.string().default(""),
});

/** `GET /repos/{o}/{r}/contents/{path}` for a folder: its entries. */
export const ContentFolder = z.array(z.object({ name: z.string(), path: z.string() }));

/** `GET /repos/{o}/{r}/contents/{path}`: a file, a folder, or something else (link, submodule). */
export const Content = z.union([ContentFile, ContentFolder, z.object({ type: z.string() })]);

/** `GET /repos/{o}/{r}/collaborators/{user}/permission`. */
export const Permission = z.object({ permission: z.string(), role_name: z.string().optional() });

/** An issue comment, as listed or created. */
export const IssueComment = z.object({
  id: z.number().int(),
  body: z.string().nullish(),
  created_at: z.string(),
  performed_via_github_app: z.object({ id: z.number().int() }).nullish(),
});

export const IssueLabel = z.object({ name: z.string() });

/** A check run, as listed for a commit. */
export const CheckRun = z.object({
  id: z.number().int(),
  name: z.string(),
  head_sha: z.string(),
  status: z.string(),
  conclusion: z.string().nullable(),
  external_id: z.string().nullable(),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  app: z.object({ slug: z.string().optional() }).nullable(),
  details_url: z.string().nullish(),
  html_url: z.string().nullish(),
  output: z.object({
    title: z.string().nullish(),
    summary: z.string().nullish(),
    text: z.string().nullish(),
  }),
});

export const CheckRunList = z.object({ check_runs: z.array(CheckRun) });

export const Annotation = z.object({
  path: z.string(),
  start_line: z.number().int(),
  annotation_level: z.string().nullable(),
  message: z.string().nullable(),
});

/** A GitHub Actions workflow job (`GET /repos/{o}/{r}/actions/jobs/{id}`, or listed for a run). */
export const WorkflowJob = z.object({
  id: z.number().int(),
  run_id: z.number().int(),
  name: z.string(),
  status: z.string(),
  conclusion: z.string().nullable(),
});

/** A GitHub Actions workflow run. */
export const WorkflowRun = z.object({
  id: z.number().int(),
  workflow_id: z.number().int(),
  head_sha: z.string(),
  status: z.string().nullable(),
  conclusion: z.string().nullable(),
});

/** A pull request, as created or listed. */
export const PullRequest = z.object({
  number: z.number().int(),
  node_id: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  draft: z.boolean().optional(),
});

/** A pull request with its head: which branch of which repository. */
export const PullRequestHead = PullRequest.extend({
  head: z.object({
    ref: z.string(),
    repo: z.object({ full_name: z.string() }).nullable(),
  }),
});

/** A pull request read back: where its head is and whether it is open and ready. */
export const PullRequestState = z.object({
  state: z.string(),
  draft: z.boolean().optional(),
  head: z.object({ sha: z.string() }),
});

/** A review of a pull request. */
export const Review = z.object({
  id: z.number().int(),
  body: z.string().nullable(),
  state: z.string(),
  user: z.object({ login: z.string(), type: z.string() }).nullable(),
});

/** A comment of a pull request review, on a line of the diff. */
export const ReviewComment = z.object({
  id: z.number().int(),
  body: z.string(),
  path: z.string(),
  line: z.number().int().nullable().optional(),
  original_line: z.number().int().nullable().optional(),
  in_reply_to_id: z.number().int().nullable().optional(),
  pull_request_review_id: z.number().int().nullable(),
  user: z.object({ login: z.string(), type: z.string() }).nullable().optional(),
});

/** GraphQL: a pull request's review threads, each with its first comment's id. */
export const ReviewThreads = z.object({
  repository: z.object({
    pullRequest: z.object({
      reviewThreads: z.object({
        nodes: z.array(
          z.object({
            id: z.string(),
            isResolved: z.boolean(),
            comments: z.object({
              nodes: z.array(z.object({ databaseId: z.number().int().nullable() })),
            }),
          }),
        ),
      }),
    }),
  }),
});

/** A git object made through the git data API (tree, commit). */
export const GitObject = z.object({ sha: z.string() });

/** A ref as `git/ref` and `git/matching-refs` answer. */
export const GitRef = z.object({ ref: z.string(), object: GitObject });

/** An issue as the sweep lists them. */
export const ListedIssue = z.object({
  number: z.number().int(),
  pull_request: z.unknown().optional(),
  labels: z.array(z.union([z.string(), z.object({ name: z.string().optional() })])),
});

/** A repository an installation can reach. */
export const InstalledRepository = z.object({
  id: z.number().int(),
  name: z.string(),
  archived: z.boolean().optional(),
  owner: z.object({ login: z.string() }),
  default_branch: z.string(),
});

export const Installation = z.object({ id: z.number().int() });

/** A file a pull request changed (`GET /pulls/{n}/files`). */
export const PullFile = z.object({
  filename: z.string(),
  status: z.string(),
  additions: z.number(),
});
