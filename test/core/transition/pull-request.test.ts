import { describe, expect, it } from "vitest";
import type { TaskDocument } from "../../../src/core/task/document.ts";
import { transition } from "../../../src/core/task/transition.ts";
import { AT, GREEN, gating, implementing, result, settle, step } from "../../fakes/machine.ts";

const withPull = (doc: TaskDocument): TaskDocument => ({ ...doc, pullRequest: "7:PR_7:draft" });
const closed = (merged: boolean) =>
  ({ type: "pull_request_closed", at: AT, pull: 7, merged }) as const;

describe("the pull request's life", () => {
  it("closed unmerged while the task works: the task is cancelled, with its summary", () => {
    const working = withPull(implementing());
    const { state: ended, effects } = transition(working, closed(false));
    expect(ended.state).toBe("cancelled");
    expect(ended.pullRequestClosed).toEqual({ merged: false, at: AT });
    expect(effects.map((e) => e.kind)).toEqual(["update_status", "post_comment"]);
    expect(effects[1]).toMatchObject({ topic: "summary" });
    expect(ended.history.at(-1)?.message).toBe(
      "Task T1 cancelled: the pull request was closed unmerged",
    );
  });

  it("merged after the task is done: recorded again, the task stays done", () => {
    const done = settle(result(gating(), { kind: "gate", result: GREEN }));
    expect(done.state).toBe("done");
    const merged = step(withPull({ ...done, recorded: true }), {
      ...closed(true),
      mergeCommit: "a".repeat(40),
    });
    expect(merged.state).toBe("done");
    expect(merged.recorded).toBe(false);
    expect(merged.pullRequestClosed).toEqual({ merged: true, at: AT, mergeCommit: "a".repeat(40) });
    // Only a merge commit GitHub could have named is kept.
    const odd = step(withPull(done), { ...closed(true), mergeCommit: "not a sha" });
    expect(odd.pullRequestClosed).toEqual({ merged: true, at: AT });
  });
});
