import { describe, expect, it } from "vitest";
import { stickyStatus } from "../../../src/core/report/sticky.ts";
import { statusBody } from "../../../src/core/report/status.ts";
import { TaskDocument } from "../../../src/core/task/document.ts";
import type { Effect } from "../../../src/core/task/effects.ts";
import type { EffectOutcome } from "../../../src/core/task/events.ts";
import { transition } from "../../../src/core/task/transition.ts";
import { htmlNodes } from "../../fakes/gfm.ts";
import {
  AT,
  GREEN,
  PLAN,
  ROUTING,
  call,
  codeReview,
  implemented,
  newDoc,
  planReview,
  settle,
  started,
  succeed,
} from "../../fakes/machine.ts";

/** Every effect a task's whole run emits, from the start to done, through `transition` only. */
function wholeRun(doc: TaskDocument): { effects: Effect[]; end: TaskDocument } {
  const effects: Effect[] = [];
  let current = doc;
  const apply = (event: Parameters<typeof transition>[1]): void => {
    const next = transition(current, event);
    effects.push(...next.effects);
    current = next.state;
  };
  const answer = (outcome: EffectOutcome): void => {
    const head = current.outbox[0];
    if (!head) throw new Error(`outbox of ${current.state} is empty`);
    apply({ type: "effect_result", at: AT, key: head.key, outcome });
  };
  const notices = (): void => {
    const kinds = ["post_comment", "update_status", "sync_pull_request", "report_check"];
    while (current.outbox[0] && kinds.includes(current.outbox[0].kind)) answer({ kind: "done" });
  };
  apply({ type: "start", at: AT, routing: ROUTING, baseCommit: "base000" });
  for (const outcome of [
    { kind: "plan", plan: PLAN, calls: [call("p#0")] },
    { kind: "plan_review", review: planReview("approved"), calls: [] },
    implemented("c1"),
    { kind: "code_review", review: codeReview("approved"), calls: [] },
    implemented("c2"),
    { kind: "code_review", review: codeReview("approved"), calls: [] },
    { kind: "gate", result: GREEN },
  ] satisfies EffectOutcome[]) {
    notices();
    answer(outcome);
  }
  notices();
  return { effects, end: current };
}

const topics = (effects: readonly Effect[]): string[] =>
  effects.flatMap((e) => (e.kind === "post_comment" ? [e.topic] : []));
const statuses = (effects: readonly Effect[]): string[] =>
  effects.flatMap((e) => (e.kind === "update_status" ? [e.body] : []));

describe("the comment mode, fixed in the document at the start", () => {
  it("one: no plan, plan review or summary comment; the status carries the plan and its review, folded", () => {
    const { effects, end } = wholeRun(newDoc({ comments: "one" }));
    expect(end.state).toBe("done");
    expect(topics(effects)).toEqual([]);
    const folded = statuses(effects).map((body) => htmlNodes(body).length);
    // Before the plan: the status alone; then the plan; from the review on, both.
    expect(folded[0]).toBe(0);
    expect(folded.slice(1, 2)).toEqual([2]);
    expect(folded.slice(2).every((n) => n === 4)).toBe(true);
    const last = statuses(effects).at(-1) ?? "";
    expect(last).toBe(stickyStatus(end, statusBody(end), "one"));
    expect(last).toContain("Done: quality gate passed.");
  });

  it("each: the plan, its review and the summary are comments of their own; the status folds nothing", () => {
    const { effects, end } = wholeRun(newDoc({ comments: "each" }));
    expect(end.state).toBe("done");
    expect(topics(effects)).toEqual(["plan", "plan_review", "summary"]);
    for (const body of statuses(effects)) expect(htmlNodes(body)).toEqual([]);
  });

  it("one: an escalation is still a comment of its own, since it asks a person to answer", () => {
    let doc = started(newDoc({ comments: "one" }));
    doc = succeed(doc, { kind: "plan", plan: PLAN, calls: [] });
    const next = transition(doc, {
      type: "effect_result",
      at: AT,
      key: doc.outbox[0]?.key ?? "",
      outcome: { kind: "plan_review", review: planReview("rejected"), calls: [] },
    });
    expect(topics(next.effects)).toEqual(["escalation"]);
    // And /reject ends the task without a summary comment.
    const rejected = transition(settle(next.state), {
      type: "command",
      at: AT,
      command: "reject",
      by: "maintainer",
      escalation: 1,
    });
    expect(rejected.state.state).toBe("failed");
    expect(topics(rejected.effects)).toEqual([]);
  });

  it("a stored document from before the mode reads as one comment", () => {
    const { comments: _, ...limits } = newDoc().limits;
    const old = TaskDocument.parse(JSON.parse(JSON.stringify({ ...newDoc(), limits })));
    expect(old.limits.comments).toBeUndefined();
    const { effects } = wholeRun(old);
    expect(topics(effects)).toEqual([]);
    expect(htmlNodes(statuses(effects).at(-1) ?? "")).toHaveLength(4);
  });
});
