import { describe, expect, it } from "vitest";
import type { PullReview } from "../../src/core/task/events.ts";
import type { TaskDocument } from "../../src/core/task/document.ts";
import {
  AT,
  codeReview,
  gating,
  head,
  implemented,
  implementing,
  result,
  settle,
  step,
  succeed,
} from "../fakes/machine.ts";

const REVIEW: PullReview = {
  id: 9,
  state: "changes_requested",
  body: "Two things.",
  comments: [
    { id: 91, path: "src/a.js", line: 3, body: "Handle 0." },
    { id: 92, path: "src/a.js", line: 8, body: "Name it better." },
  ],
};
const reviewed = (doc: TaskDocument, source = "review:9"): TaskDocument =>
  settle(step(doc, { type: "review", at: AT, pull: 7, by: "maintainer", source, review: REVIEW }));
const withPull = (doc: TaskDocument): TaskDocument => ({ ...doc, pullRequest: "7:PR_7:draft" });

describe("review rounds", () => {
  it("while waiting for CI: a fix step R1 answering the comments, then replies once the code reviewer approves", () => {
    let doc = reviewed(withPull(settle(result(gating(), { kind: "gate_pending", commit: "c2" }))));
    expect(doc.state).toBe("fixing");
    const fix = head(doc);
    expect(fix).toMatchObject({ kind: "implement_step", role: "fixer" });
    expect(doc.steps.at(-1)).toMatchObject({
      id: "R1",
      files: ["src/a.js"],
      answers: { review: 9, comments: [91, 92] },
    });
    doc = succeed(doc, implemented("r1"));
    doc = result(doc, { kind: "code_review", review: codeReview("approved"), calls: [] });
    const answer = doc.outbox.find((e) => e.kind === "answer_review");
    expect(answer).toMatchObject({ review: 9, comments: [91, 92], commit: "r1" });
    expect(doc.outbox.filter((e) => e.kind === "post_review")).toHaveLength(1);
  });

  it("during other work: kept, and started when that work is done; the same review twice is one round", () => {
    let doc = withPull(implementing());
    doc = reviewed(doc);
    expect(doc.pendingReviews).toHaveLength(1);
    expect(reviewed(doc)).toBe(doc);
    doc = succeed(doc, implemented("c1"));
    doc = succeed(doc, { kind: "code_review", review: codeReview("approved"), calls: [] });
    doc = succeed(doc, implemented("c2"));
    doc = succeed(doc, { kind: "code_review", review: codeReview("approved"), calls: [] });
    expect(doc.steps.at(-1)?.id).toBe("R1");
    expect(doc.pendingReviews).toEqual([]);
    expect(doc.state).toBe("fixing");
  });

  it("no pull request yet, or a task that failed: nothing to review", () => {
    const none = settle(result(gating(), { kind: "gate_pending", commit: "c2" }));
    expect(reviewed({ ...none, pullRequest: null })).toEqual({ ...none, pullRequest: null });
    // A pull request already merged or closed takes no more rounds.
    const closed = { ...withPull(none), pullRequestClosed: { merged: true, at: AT } };
    expect(reviewed(closed)).toEqual(closed);
  });

  it("a review or a close of another pull request does not apply to the task", () => {
    const waiting = withPull(settle(result(gating(), { kind: "gate_pending", commit: "c2" })));
    const other = {
      type: "review",
      at: AT,
      pull: 8,
      by: "maintainer",
      source: "review:9",
    } as const;
    expect(step(waiting, { ...other, review: REVIEW })).toEqual(waiting);
    const closed = { type: "pull_request_closed", at: AT, merged: false } as const;
    expect(step(waiting, { ...closed, pull: 8 })).toEqual(waiting);
    expect(step(waiting, { ...closed, pull: 7 }).pullRequestClosed).toEqual({
      merged: false,
      at: AT,
    });
    // A reference without a number (a local run's file) matches no pull request.
    const local = { ...waiting, pullRequest: "PULL_REQUEST.md" };
    expect(step(local, { ...other, pull: 7, review: REVIEW })).toEqual(local);
  });
});
