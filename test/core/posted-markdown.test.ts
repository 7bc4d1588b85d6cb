import { cpuMs } from "../fakes/cpu-time.ts";
import { describe, expect, it } from "vitest";
import { neutralizeOutbound } from "../../src/core/text/outbound.ts";
import { modelCell, modelItem, modelLine, quoteModelText } from "../../src/core/report/format.ts";
import { planComment, planReviewComment, summaryComment } from "../../src/core/report/comments.ts";
import { checkSummary } from "../../src/core/report/check-run.ts";
import { pullRequestBody } from "../../src/core/report/pull-request.ts";
import { codeReviewBody } from "../../src/core/report/review.ts";
import { taskRunLog } from "../../src/core/report/run-log.ts";
import { statusBody } from "../../src/core/report/status.ts";
import { stickyStatus } from "../../src/core/report/sticky.ts";
import type { TaskDocument } from "../../src/core/task/document.ts";
import { blocks, headings, htmlNodes, lists, tableShapeErrors, tables } from "../fakes/gfm.ts";
import { implementing, PLAN, planReview } from "../fakes/machine.ts";

/** Model text that tries every way out of the cell, item or section it is put in. */
const HOSTILE =
  "a | b <details><summary>x</summary> `c|d` ``` open\n\n# heading\n| t | t |\n|---|---|";

function hostileDoc(): TaskDocument {
  const doc = implementing();
  const plan = {
    ...PLAN,
    summary: HOSTILE,
    steps: PLAN.steps.map((s) => ({ ...s, description: HOSTILE })),
  };
  return {
    ...doc,
    plan,
    steps: doc.steps.map((s) => ({ ...s, description: HOSTILE })),
  };
}

/** What GitHub receives: our Markdown after the boundary's outbound pass. */
const posted = (md: string): string => neutralizeOutbound(md, { allowedHosts: ["github.com"] });

describe("what we post keeps its structure whatever the model wrote", () => {
  it("the plan comment: one list item per step, no heading or table from the model", () => {
    const md = posted(planComment(hostileDoc(), hostileDoc().plan!));
    expect(headings(md).map((h) => h.depth)).toEqual([3]);
    expect(tables(md)).toEqual([]);
    expect(lists(md)[0]?.items).toHaveLength(PLAN.steps.length);
    expect(htmlNodes(md)).toEqual([]);
  });

  it("the plan review: three lists, one item per point", () => {
    const review = { ...planReview("needs_revision"), concerns: [HOSTILE, "second"] };
    const md = posted(planReviewComment(hostileDoc(), review));
    expect(headings(md)).toHaveLength(1);
    expect(tables(md)).toEqual([]);
    expect(lists(md).map((l) => l.items.length)).toEqual([2]);
    expect(htmlNodes(md)).toEqual([]);
  });

  it("the status: a checklist with one item per step", () => {
    const md = posted(statusBody(hostileDoc()));
    expect(headings(md)).toEqual([]);
    expect(tables(md)).toEqual([]);
    expect(lists(md)[0]?.items).toHaveLength(hostileDoc().steps.length);
  });

  it("the one comment: the status, then the plan and its review each folded under our own <details>", () => {
    const doc = {
      ...hostileDoc(),
      planReviews: [{ ...planReview("approved"), concerns: [HOSTILE] }],
    };
    const md = posted(stickyStatus(doc, statusBody(doc), "one"));
    expect(htmlNodes(md)).toEqual([
      "<details>\n<summary>Plan v1: 2 step(s)</summary>",
      "</details>",
      "<details>\n<summary>Plan review: approved</summary>",
      "</details>",
    ]);
    expect(headings(md).map((h) => h.text)).toEqual([
      expect.stringMatching(/^Plan v1 by /),
      expect.stringMatching(/^Plan review: approved/),
    ]);
    expect(lists(md)[0]?.items).toHaveLength(doc.steps.length);
    expect(tables(md)).toEqual([]);
    expect(stickyStatus(doc, "status", "each")).toBe("status");
  });

  it("the pull request body: its sections, a steps table with a row per step, and the cost table", () => {
    const md = posted(pullRequestBody(hostileDoc()));
    expect(headings(md).map((h) => h.text)).toEqual(["Summary", "Steps", "Quality gate", "Cost"]);
    const [steps, cost] = tables(md);
    expect(tables(md)).toHaveLength(2);
    expect(steps?.rows).toHaveLength(hostileDoc().steps.length);
    expect(cost?.header).toEqual(["role", "model", "calls", "cost"]);
    expect(tableShapeErrors(md)).toEqual([]);
    // Our own disclosure around the cost table survives the boundary; nothing of the model's does.
    expect(htmlNodes(md)).toEqual([
      `<details>\n<summary>Total: $0.01 over ${hostileDoc().ledger.length} model call(s)</summary>`,
      "</details>",
    ]);
  });

  it("a code review: a list item per change", () => {
    const doc = hostileDoc();
    const md = posted(
      codeReviewBody(doc, doc.steps[0]!, {
        status: "needs_changes",
        required_changes: [HOSTILE, "two"],
        optional_improvements: [HOSTILE],
        scores: { correctness: 5, readability: 5, tests: 5 },
      }),
    );
    expect(lists(md).map((l) => l.items.length)).toEqual([2, 1]);
    expect(headings(md)).toEqual([]);
    expect(tables(md)).toEqual([]);
  });

  it("the check run summary and the finished summary", () => {
    const doc = hostileDoc();
    const step = doc.steps[0];
    if (!step) throw new Error("no step");
    const review = {
      status: "needs_changes" as const,
      required_changes: [],
      optional_improvements: [],
      scores: { correctness: 5, readability: 5, tests: 5 },
    };
    const stats = [
      { path: "a.js", additions: 3, deletions: 1 },
      { path: "b|c.js", additions: 0, deletions: 2 },
    ];
    const check = posted(checkSummary(doc, step, review, stats));
    expect(headings(check)).toEqual([]);
    expect(tables(check)).toEqual([]);
    // One list item per file, its lines counted.
    expect(lists(check).flatMap((l) => l.items)).toEqual(["a.js: +3 −1", "b|c.js: +0 −2"]);
    const summary = posted(summaryComment(doc));
    expect(tables(summary)).toHaveLength(1);
    expect(tableShapeErrors(summary)).toEqual([]);
    expect(lists(summary)[0]?.items).toHaveLength(doc.steps.length);
  });

  it("the run log: a list of history entries and the ledger table", () => {
    const doc = hostileDoc();
    const md = taskRunLog({
      ...doc,
      history: [
        ...doc.history,
        {
          at: doc.createdAt,
          level: "warning",
          category: "human_review",
          message: HOSTILE,
          details: [HOSTILE],
        },
      ],
    });
    expect(headings(md).map((h) => h.text)).toEqual([`Task: ${doc.id}`, "Execution Log", "Ledger"]);
    expect(lists(md)[0]?.items).toHaveLength(doc.history.length + 1);
    expect(tables(md)).toHaveLength(1);
    expect(blocks(md).at(-1)).toBe("paragraph");
  });
});

describe("quoting model text", () => {
  it("runs in linear time on hostile input up to a comment's size", () => {
    for (const text of [
      "- ".repeat(30_000) + "x",
      "-\t".repeat(30_000) + "x",
      "\n".repeat(60_000),
      "|-".repeat(30_000) + "x",
      "#".repeat(60_000),
      "` ".repeat(30_000),
      "\\".repeat(60_000) + "|",
    ]) {
      for (const quote of [quoteModelText, modelLine, modelCell, modelItem]) {
        expect(
          cpuMs(() => quote(text)),
          `${quote.name} ${text.slice(0, 10)}`,
        ).toBeLessThan(500);
      }
    }
  });
});
