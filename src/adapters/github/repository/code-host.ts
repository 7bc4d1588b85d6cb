import type { CodeHost, ReviewLineComment } from "../../../ports/code-host.ts";
import { z } from "zod";
import { statusOf, type GitHub, type RepoRef } from "../api/client.ts";
import { markerOf, withMarker } from "./markers.ts";
import {
  CheckRunList,
  PullRequest,
  PullRequestHead,
  PullRequestState,
  Review,
  ReviewComment,
  ReviewThreads,
} from "../api/responses.ts";

export const CHECK_NAME = "orchestrator";

interface PullInfo {
  readonly number: number;
  readonly nodeId: string;
  readonly title: string;
  readonly body: string;
  readonly draft: boolean;
}

/**
 * The task's pull request (found again by its head branch) and one completed `orchestrator`
 * check run per pushed commit (found again by its external id, the effect key).
 */
export class GitHubCodeHost implements CodeHost {
  readonly #github: GitHub;
  readonly #repo: RepoRef;
  readonly #issue: number;
  readonly #base: string;
  readonly #ownLogin: () => Promise<string>;
  readonly #detailsUrl: string | undefined;
  #pull: PullInfo | null = null;

  constructor(options: {
    readonly github: GitHub;
    readonly repo: RepoRef;
    readonly issue: number;
    readonly baseBranch: string;
    /**
     * The login this app writes as (`<slug>[bot]`): only reviews and replies it wrote are ours,
     * whatever marker another one carries (anyone can copy a marker into a review).
     */
    readonly ownLogin: () => Promise<string>;
    /** Where a check run's "Details" link goes: the task's issue, with its status comment. */
    readonly detailsUrl?: string;
  }) {
    this.#github = options.github;
    this.#repo = options.repo;
    this.#issue = options.issue;
    this.#base = options.baseBranch;
    this.#ownLogin = options.ownLogin;
    this.#detailsUrl = options.detailsUrl;
  }

  async ensurePullRequest(options: {
    branch: string;
    title: string;
    body: string;
    draft: boolean;
    firstAttempt?: boolean;
    known?: string;
    verify?: boolean;
  }): Promise<{ ref: string; readBack?: { head: string; open: boolean; draft: boolean } }> {
    const body = `Closes #${this.#issue}\n\n${options.body}`;
    // A first draft is created straight away; GitHub refuses a second one for the branch (422).
    // A pull request we know from an earlier sync is not looked up again.
    const pull =
      this.#pull ??
      (await this.#known(options.known, options.branch)) ??
      (options.firstAttempt === true && options.draft ? await this.#create(options, body) : null) ??
      (await this.#find(options.branch));
    if (!pull) {
      this.#pull = await this.#create(options, body);
      if (!this.#pull)
        throw new Error(`pull request for ${options.branch} neither found nor created`);
    } else if (pull.title !== options.title || pull.body !== body) {
      await this.#github.rest.pulls.update({
        ...this.#repo,
        pull_number: pull.number,
        title: options.title,
        body,
      });
      this.#pull = { ...pull, title: options.title, body };
    } else {
      this.#pull = pull;
    }
    const current = this.#pull;
    if (current.draft && !options.draft) {
      // REST cannot take a pull request out of draft; GraphQL can.
      await this.#github.graphql(
        `mutation($id: ID!) { markPullRequestReadyForReview(input: { pullRequestId: $id }) { pullRequest { isDraft } } }`,
        { id: current.nodeId },
      );
      this.#pull = { ...current, draft: false };
    }
    const now = this.#pull;
    const ref = `${String(now.number)}:${now.nodeId}:${now.draft ? "draft" : "ready"}`;
    if (options.verify !== true) return { ref };
    const { data } = await this.#github.rest.pulls.get({ ...this.#repo, pull_number: now.number });
    const seen = PullRequestState.parse(data);
    return {
      ref,
      readBack: { head: seen.head.sha, open: seen.state === "open", draft: seen.draft === true },
    };
  }

  async reportCheck(options: {
    key: string;
    commit: string;
    title: string;
    summary: string;
    conclusion: "success" | "neutral" | "failure";
    firstAttempt?: boolean;
  }): Promise<void> {
    if (options.firstAttempt !== true) {
      const { data } = await this.#github.rest.checks.listForRef({
        ...this.#repo,
        ref: options.commit,
        check_name: CHECK_NAME,
        per_page: 100,
      });
      if (CheckRunList.parse(data).check_runs.some((run) => run.external_id === options.key))
        return;
    }
    await this.#github.rest.checks.create({
      ...this.#repo,
      name: CHECK_NAME,
      head_sha: options.commit,
      external_id: options.key,
      status: "completed",
      conclusion: options.conclusion,
      ...(this.#detailsUrl ? { details_url: this.#detailsUrl } : {}),
      output: { title: options.title.slice(0, 255), summary: options.summary.slice(0, 65_000) },
    });
  }

  async postReview(options: {
    key: string;
    known: string;
    branch: string;
    commit: string;
    body: string;
    comments: readonly ReviewLineComment[];
    firstAttempt?: boolean;
  }): Promise<void> {
    const pull = await this.#ours(options.known, options.branch);
    if (!pull) return;
    const where = { ...this.#repo, pull_number: pull.number };
    if (options.firstAttempt !== true) {
      const listed = await this.#github.paginate(this.#github.rest.pulls.listReviews, {
        ...where,
        per_page: 100,
      });
      const own = await this.#ownLogin();
      if (
        z
          .array(Review)
          .parse(listed)
          .some((r) => r.user?.login === own && markerOf(r.body ?? "") === options.key)
      )
        return;
    }
    const review = (body: string, comments: readonly ReviewLineComment[]) =>
      this.#github.rest.pulls.createReview({
        ...where,
        commit_id: options.commit,
        event: "COMMENT",
        body: withMarker(body, options.key),
        ...(comments.length > 0
          ? { comments: comments.map((c) => ({ ...c, side: "RIGHT" as const })) }
          : {}),
      });
    try {
      await review(options.body, options.comments);
    } catch (error) {
      // One comment GitHub cannot place on the diff refuses the whole review (422, "line must
      // be part of the diff"): post it again with the comments in its text, where they are
      // still read.
      if (options.comments.length === 0 || statusOf(error) !== 422) throw error;
      await review(`${options.body}\n\n${foldedComments(options.comments)}`, []);
    }
  }

  async answerReview(options: {
    key: string;
    known: string;
    branch: string;
    comments: readonly number[];
    body: string;
    firstAttempt?: boolean;
  }): Promise<void> {
    const pull = await this.#ours(options.known, options.branch);
    if (!pull) return;
    const where = { ...this.#repo, pull_number: pull.number };
    const answered = new Set<number>();
    if (options.firstAttempt !== true) {
      const listed = await this.#github.paginate(this.#github.rest.pulls.listReviewComments, {
        ...where,
        per_page: 100,
      });
      const own = await this.#ownLogin();
      for (const c of z.array(ReviewComment).parse(listed))
        if (
          c.in_reply_to_id != null &&
          c.user?.login === own &&
          markerOf(c.body) === `${options.key}:${c.in_reply_to_id}`
        )
          answered.add(c.in_reply_to_id);
    }
    for (const comment of options.comments) {
      if (answered.has(comment)) continue;
      await this.#github.rest.pulls.createReplyForReviewComment({
        ...where,
        comment_id: comment,
        body: withMarker(options.body, `${options.key}:${comment}`),
      });
    }
    await this.#resolveThreads(pull.number, new Set(options.comments));
  }

  /** Marks resolved the review threads that start with one of the given comments. */
  async #resolveThreads(number: number, comments: ReadonlySet<number>): Promise<void> {
    const answer = await this.#github.graphql(
      `query($owner: String!, $repo: String!, $number: Int!) {
        repository(owner: $owner, name: $repo) {
          pullRequest(number: $number) {
            reviewThreads(first: 100) {
              nodes { id isResolved comments(first: 1) { nodes { databaseId } } }
            }
          }
        }
      }`,
      { owner: this.#repo.owner, repo: this.#repo.repo, number },
    );
    const threads = ReviewThreads.parse(answer).repository.pullRequest.reviewThreads.nodes;
    for (const thread of threads) {
      const first = thread.comments.nodes[0]?.databaseId;
      if (thread.isResolved || first == null || !comments.has(first)) continue;
      await this.#github.graphql(
        `mutation($id: ID!) { resolveReviewThread(input: { threadId: $id }) { thread { isResolved } } }`,
        { id: thread.id },
      );
    }
  }

  /** Opens the draft; null when one already exists for the branch. */
  async #create(
    options: { branch: string; title: string },
    body: string,
  ): Promise<PullInfo | null> {
    try {
      const { data } = await this.#github.rest.pulls.create({
        ...this.#repo,
        head: options.branch,
        base: this.#base,
        title: options.title,
        body,
        draft: true,
      });
      const pull = PullRequest.parse(data);
      return { number: pull.number, nodeId: pull.node_id, title: options.title, body, draft: true };
    } catch (error) {
      if (statusOf(error) === 422) return null;
      throw error;
    }
  }

  /** The task's pull request: the one known, once read to be the branch's, else found by the branch. */
  async #ours(known: string, branch: string): Promise<PullInfo | null> {
    this.#pull ??= (await this.#known(known, branch)) ?? (await this.#find(branch));
    return this.#pull;
  }

  /**
   * The pull request a stored reference names, read once per code host, if its head is the
   * task's branch in this repository: the reference comes from the state branch, which more
   * people can write than the App, and must not point the App at another pull request.
   */
  async #known(known: string | undefined, branch: string): Promise<PullInfo | null> {
    const ref = fromRef(known);
    if (!ref) return null;
    const { data } = await this.#github.rest.pulls.get({ ...this.#repo, pull_number: ref.number });
    const pull = PullRequestHead.parse(data);
    const here = `${this.#repo.owner}/${this.#repo.repo}`.toLowerCase();
    if (pull.head.ref !== branch || pull.head.repo?.full_name.toLowerCase() !== here) return null;
    return {
      number: pull.number,
      nodeId: pull.node_id,
      title: pull.title,
      body: pull.body ?? "",
      draft: pull.draft ?? false,
    };
  }

  async #find(branch: string): Promise<PullInfo | null> {
    const { data } = await this.#github.rest.pulls.list({
      ...this.#repo,
      head: `${this.#repo.owner}:${branch}`,
      state: "open",
      per_page: 10,
    });
    const pull = z.array(PullRequest).parse(data)[0];
    return pull
      ? {
          number: pull.number,
          nodeId: pull.node_id,
          title: pull.title,
          body: pull.body ?? "",
          draft: pull.draft ?? false,
        }
      : null;
  }
}

/**
 * A pull request from the reference an earlier sync returned (`<number>:<node id>:<draft|ready>`).
 * Its title and body are not known, so the next sync writes them.
 */
function fromRef(ref: string | undefined): PullInfo | null {
  const match = /^(\d+):([^:]+):(draft|ready)$/.exec(ref ?? "");
  if (!match) return null;
  return {
    number: Number(match[1]),
    nodeId: match[2] ?? "",
    title: "",
    body: "",
    draft: match[3] === "draft",
  };
}

/** Line comments as part of a review's text, each under its place. */
function foldedComments(comments: readonly ReviewLineComment[]): string {
  return comments.map((c) => `**${c.path}** line ${String(c.line)}:\n\n${c.body}`).join("\n\n");
}
