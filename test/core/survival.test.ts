import { describe, expect, it } from "vitest";
import { survivalDue, type TaskDocument } from "../../src/core/task/document.ts";
import { transition } from "../../src/core/task/transition.ts";
import { AT, gating, GREEN, result, settle, step } from "../fakes/machine.ts";

const MERGE = "a".repeat(40);
const LATER = "2026-02-01T00:00:00.000Z";

function done(): TaskDocument {
  const green = result(gating(), { kind: "gate", result: GREEN });
  return settle(result(green, { kind: "pull_request", ref: "7:PR_7:ready" }));
}

describe("lines that survive the merge", () => {
  it("a merged task is due to be counted 30 days after the merge, once; its records are written again with the count", () => {
    const doc = done();
    expect(doc.state).toBe("done");
    expect(survivalDue(doc)).toBeNull();
    const merged = step(
      { ...doc, recorded: true },
      { type: "pull_request_closed", at: AT, pull: 7, merged: true, mergeCommit: MERGE },
    );
    expect(merged.pullRequestClosed).toEqual({ merged: true, at: AT, mergeCommit: MERGE });
    expect(survivalDue(merged)).toBe("2026-01-31T00:00:00.000Z");
    const early = {
      type: "lines_survived",
      at: "2026-01-30T00:00:00.000Z",
      lines: 10,
      surviving: 9,
    } as const;
    expect(transition({ ...merged, recorded: true }, early).state).toEqual({
      ...merged,
      recorded: true,
    });
    const counted = step({ ...merged, recorded: true }, { ...early, at: LATER, surviving: 12 });
    expect(counted.survival).toEqual({ at: LATER, lines: 10, surviving: 10 });
    expect(counted.recorded).toBe(false);
    expect(survivalDue(counted)).toBeNull();
    expect(step(counted, { ...early, at: LATER, surviving: 1 })).toEqual(counted);
  });

  it("closed unmerged, or merged by a commit GitHub did not name: nothing to count", () => {
    const doc = done();
    const closed = step(doc, {
      type: "pull_request_closed",
      pull: 7,
      at: AT,
      merged: false,
      mergeCommit: MERGE,
    });
    expect(closed.pullRequestClosed).toEqual({ merged: false, at: AT });
    expect(survivalDue(closed)).toBeNull();
    const unnamed = step(doc, { type: "pull_request_closed", at: AT, pull: 7, merged: true });
    expect(survivalDue(unnamed)).toBeNull();
    const odd = step(doc, {
      type: "pull_request_closed",
      pull: 7,
      at: AT,
      merged: true,
      mergeCommit: "HEAD",
    });
    expect(odd.pullRequestClosed?.mergeCommit).toBeUndefined();
  });
});
