import { describe, expect, it } from "vitest";
import type { CodeReview } from "../../src/core/plan/plan.ts";
import { parseDiff } from "../../src/core/policy/diff.ts";
import {
  placeComments,
  postedComment,
  reviewDemands,
} from "../../src/core/report/review-comments.ts";
import { codeBlocks } from "../fakes/gfm.ts";

const DIFF = `diff --git a/src/a.js b/src/a.js
index 1111111..2222222 100644
--- a/src/a.js
+++ b/src/a.js
@@ -1,3 +1,4 @@
 one
-two
+TWO
+three
 four
`;

const review = (over: Partial<CodeReview> = {}): CodeReview => ({
  status: "needs_changes",
  required_changes: ["fix it"],
  optional_improvements: [],
  scores: { correctness: 5, readability: 5, tests: 5 },
  ...over,
});

describe("line comments of a code review", () => {
  it("stay on lines the step added; any other is folded into the review's list with its place", () => {
    const placed = placeComments(
      review({
        comments: [
          { path: "src/a.js", line: 2, body: "on an added line" },
          { path: "src/a.js", line: 1, body: "on a context line" },
          { path: "src/b.js", line: 2, body: "on a file the step did not change" },
        ],
      }),
      parseDiff(DIFF),
    );
    expect(placed.comments).toEqual([{ path: "src/a.js", line: 2, body: "on an added line" }]);
    expect(placed.required_changes).toEqual([
      "fix it",
      "src/a.js line 1: on a context line",
      "src/b.js line 2: on a file the step did not change",
    ]);
    const approved = placeComments(
      review({ status: "approved", comments: [{ path: "x", line: 1, body: "nit" }] }),
      parseDiff(DIFF),
    );
    expect(approved.optional_improvements).toEqual(["x line 1: nit"]);
  });

  it("never make a list longer than the schema allows, and lose none", () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ path: "x", line: i + 1, body: `c${i}` }));
    const placed = placeComments(
      review({ required_changes: Array.from({ length: 18 }, (_, i) => `r${i}`), comments: many }),
      [],
    );
    expect(placed.required_changes).toHaveLength(20);
    expect(placed.required_changes.join("\n")).toContain("x line 20: c19");
  });

  it("post a suggestion as a suggestion block, fenced longer than any backtick run in it", () => {
    const posted = postedComment({
      path: "README.md",
      line: 3,
      body: "Quote the command.",
      suggestion: "Run ```npm test``` first.\n",
    });
    expect(codeBlocks(posted.body)).toEqual([
      { lang: "suggestion", value: "Run ```npm test``` first." },
    ]);
  });

  it("what the next attempt is asked: required changes, then each line comment unless approved", () => {
    const r = review({
      comments: [{ path: "src/a.js", line: 2, body: "rename", suggestion: "const two = 2;" }],
    });
    expect(reviewDemands(r)).toEqual([
      "fix it",
      'src/a.js line 2: rename (suggested line: "const two = 2;")',
    ]);
    expect(reviewDemands({ ...r, status: "approved", required_changes: [] })).toEqual([]);
  });
});
