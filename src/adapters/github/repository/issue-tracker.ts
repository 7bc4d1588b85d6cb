import type { IssueTracker } from "../../../ports/issue-tracker.ts";
import { z } from "zod";
import { statusOf, type GitHub, type RepoRef } from "../api/client.ts";
import { IssueComment, IssueLabel } from "../api/responses.ts";
import { markerOf, withMarker } from "./markers.ts";

const STATE_LABELS: Record<string, string> = {
  queued: "orchestrator:planning",
  planning: "orchestrator:planning",
  plan_review: "orchestrator:planning",
  implementing: "orchestrator:implementing",
  code_review: "orchestrator:implementing",
  gating: "orchestrator:implementing",
  fixing: "orchestrator:implementing",
  awaiting_human: "orchestrator:awaiting-human",
  done: "orchestrator:done",
  failed: "orchestrator:failed",
  cancelled: "orchestrator:failed",
};

interface OwnComment {
  readonly id: number;
  readonly body: string;
  readonly createdAt: string;
}

/**
 * Comments on the task's issue. Each comment carries a hidden marker with its effect key and is
 * found again by it and by its author being this app (another app's comment with our marker is
 * not ours), so a redone effect edits instead of posting twice. The status is one sticky
 * comment, edited at most once per `debounceMs` while a run goes on (`flush` writes the last one);
 * the task state is also shown as one `orchestrator:*` label.
 */
export class GitHubIssueTracker implements IssueTracker {
  readonly #github: GitHub;
  readonly #repo: RepoRef;
  readonly #issue: number;
  readonly #debounceMs: number;
  readonly #now: () => number;
  readonly #appId: number;
  #comments: Map<string, OwnComment> | null = null;
  #labels: Set<string> | null;
  #lastStatusAt = Number.NEGATIVE_INFINITY;
  #pendingStatus: string | null = null;
  #pendingState: string | null = null;

  constructor(options: {
    readonly github: GitHub;
    readonly repo: RepoRef;
    readonly issue: number;
    /** This app's id: only comments it made are ours, whatever marker another one carries. */
    readonly appId: number;
    readonly now: () => number;
    readonly debounceMs?: number;
    /** Labels the issue had when the webhook was sent, to avoid reading them again. */
    readonly labels?: readonly string[];
  }) {
    this.#github = options.github;
    this.#repo = options.repo;
    this.#issue = options.issue;
    this.#appId = options.appId;
    this.#now = options.now;
    this.#debounceMs = options.debounceMs ?? 10_000;
    this.#labels = options.labels ? new Set(options.labels) : null;
  }

  async ensureComment(options: {
    task: string;
    key: string;
    body: string;
  }): Promise<{ ref: string }> {
    return this.#ensure(options.key, options.body);
  }

  async updateStatus(options: { task: string; body: string; state?: string }): Promise<void> {
    this.#pendingStatus = options.body;
    if (options.state) this.#pendingState = options.state;
    if (this.#now() - this.#lastStatusAt >= this.#debounceMs) await this.flush();
  }

  /** Marks a person's comment as seen (an "eyes" reaction): it carries no text. */
  async acknowledge(commentId: number): Promise<void> {
    await this.#github.rest.reactions.createForIssueComment({
      ...this.#repo,
      comment_id: commentId,
      content: "eyes",
    });
  }

  /**
   * Writes the latest status and its state label if one is waiting. Called when a run ends; the
   * label follows the status comment, so states a run passes through quickly cost no request.
   */
  async flush(): Promise<void> {
    const body = this.#pendingStatus;
    const state = this.#pendingState;
    this.#pendingStatus = null;
    this.#pendingState = null;
    if (state !== null) await this.#showState(state);
    if (body === null) return;
    this.#lastStatusAt = this.#now();
    await this.#ensure(`status:${this.#issue}`, body);
  }

  async #ensure(key: string, text: string): Promise<{ ref: string }> {
    const comments = await this.#known();
    const body = withMarker(text, key);
    const existing = comments.get(key);
    if (existing) {
      if (existing.body !== body) {
        await this.#github.rest.issues.updateComment({
          ...this.#repo,
          comment_id: existing.id,
          body,
        });
        comments.set(key, { ...existing, body });
      }
      return { ref: String(existing.id) };
    }
    const { data: raw } = await this.#github.rest.issues.createComment({
      ...this.#repo,
      issue_number: this.#issue,
      body,
    });
    const data = IssueComment.parse(raw);
    comments.set(key, { id: data.id, body, createdAt: data.created_at });
    return { ref: String(data.id) };
  }

  /**
   * The key of our latest comment whose key ends with `suffix` and that was written before the
   * given comment (GitHub's creation time, then its id, which grows with time), or null.
   */
  async latestBefore(
    suffix: string,
    comment: { readonly id: number; readonly createdAt: string },
  ): Promise<string | null> {
    const at = Date.parse(comment.createdAt);
    let found: { key: string; at: number; id: number } | null = null;
    for (const [key, c] of await this.#known()) {
      if (!key.endsWith(suffix)) continue;
      const when = Date.parse(c.createdAt);
      const before = when < at || (when === at && c.id < comment.id);
      if (before && (!found || when > found.at || (when === found.at && c.id > found.id)))
        found = { key, at: when, id: c.id };
    }
    return found?.key ?? null;
  }

  /** Our comments on the issue, by key, read once per tracker. */
  async #known(): Promise<Map<string, OwnComment>> {
    if (this.#comments) return this.#comments;
    const all = await this.#github.paginate(this.#github.rest.issues.listComments, {
      ...this.#repo,
      issue_number: this.#issue,
      per_page: 100,
    });
    this.#comments = new Map();
    for (const c of z.array(IssueComment).parse(all)) {
      const key = markerOf(c.body ?? "");
      if (key !== null && c.performed_via_github_app?.id === this.#appId)
        this.#comments.set(key, { id: c.id, body: c.body ?? "", createdAt: c.created_at });
    }
    return this.#comments;
  }

  async #showState(state: string): Promise<void> {
    const wanted = STATE_LABELS[state];
    if (!wanted) return;
    if (this.#labels === null) {
      const { data } = await this.#github.rest.issues.listLabelsOnIssue({
        ...this.#repo,
        issue_number: this.#issue,
        per_page: 100,
      });
      this.#labels = new Set(
        z
          .array(IssueLabel)
          .parse(data)
          .map((l) => l.name),
      );
    }
    const labels = this.#labels;
    for (const old of [...labels].filter((l) => l.startsWith("orchestrator:") && l !== wanted)) {
      await this.#github.rest.issues
        .removeLabel({ ...this.#repo, issue_number: this.#issue, name: old })
        .catch((error: unknown) => {
          // Already gone (someone removed it): that is what we wanted.
          if (statusOf(error) !== 404) throw error;
        });
      labels.delete(old);
    }
    if (!labels.has(wanted)) {
      await this.#github.rest.issues.addLabels({
        ...this.#repo,
        issue_number: this.#issue,
        labels: [wanted],
      });
      labels.add(wanted);
    }
  }
}
