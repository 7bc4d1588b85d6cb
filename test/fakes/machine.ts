import type { CallRecord } from "../../src/core/cost/ledger.ts";
import type { GateResult } from "../../src/core/plan/gate-result.ts";
import type { CodeReview, Plan, PlanReview } from "../../src/core/plan/plan.ts";
import type { TaskRouting } from "../../src/core/vocabulary/routing-decision.ts";
import { createTaskDocument } from "../../src/core/task/create.ts";
import type { TaskDocument } from "../../src/core/task/document.ts";
import type { Effect } from "../../src/core/task/effects.ts";
import type { EffectOutcome, TaskEvent } from "../../src/core/task/events.ts";
import { transition } from "../../src/core/task/transition.ts";

export const AT = "2026-01-01T00:00:00.000Z";

export const ROUTING: TaskRouting = {
  planner: { role: "planner", model: "google/gemini-2.5-pro", rationale: "test" },
  plan_reviewer: { role: "plan_reviewer", model: "anthropic/claude-sonnet-4-5", rationale: "test" },
  implementer: { role: "implementer", model: "google/gemini-2.5-pro", rationale: "test" },
  code_reviewer: { role: "code_reviewer", model: "anthropic/claude-sonnet-4-5", rationale: "test" },
};

export function newDoc(overrides: Partial<TaskDocument["limits"]> = {}): TaskDocument {
  return createTaskDocument({
    definition: {
      id: "T1",
      goal: "Add a helper",
      risk: "medium",
      area: "core",
      complexity: "small",
      context_files: [],
      constraints: [],
    },
    limits: {
      planRevisions: 2,
      stepReviewRounds: 3,
      gateAttempts: 3,
      budgetUsd: null,
      // Each report its own comment, so that tests see what the reducer says in each one.
      comments: "each",
      ...overrides,
    },
    branchPrefix: "orchestrator/",
    at: AT,
  });
}

export const PLAN: Plan = {
  summary: "two steps",
  steps: [
    {
      id: "S1",
      type: "implementation",
      description: "write it",
      risk: "medium",
      complexity: "small",
      files: ["a.js"],
      tests_required: true,
    },
    {
      id: "S2",
      type: "testing",
      description: "test it",
      risk: "low",
      complexity: "small",
      files: ["a.test.js"],
      tests_required: true,
    },
  ],
};

export function planReview(status: PlanReview["status"]): PlanReview {
  return {
    status,
    scores: { completeness: 8, feasibility: 8, risk_assessment: 8 },
    missing_steps: [],
    concerns: status === "approved" ? [] : ["too vague"],
    suggestions: [],
  };
}

export function codeReview(status: CodeReview["status"]): CodeReview {
  return {
    status,
    required_changes: status === "approved" ? [] : ["handle empty input"],
    optional_improvements: [],
    scores: { correctness: 7, readability: 8, tests: 7 },
  };
}

export const GREEN: GateResult = {
  passed: true,
  checks: [{ name: "test", passed: true, reason: null, durationMs: 5, output: "" }],
};
export const RED: GateResult = {
  passed: false,
  checks: [
    {
      name: "test",
      passed: false,
      reason: "exit code 1",
      durationMs: 5,
      output: "expected 1 got 2",
    },
  ],
};

export function call(
  key: string,
  role: CallRecord["role"] = "planner",
  costUsd = 0.01,
): CallRecord {
  return {
    key,
    role,
    model: "google/gemini-2.5-pro",
    prompt: "planner@1",
    usage: { input: { noCache: 100, cacheRead: 0, cacheWrite: 0 }, output: 10 },
    costUsd,
    durationMs: 1,
    at: AT,
    stopReason: "end",
  };
}

export function step(doc: TaskDocument, event: TaskEvent): TaskDocument {
  return transition(doc, event).state;
}

export function result(doc: TaskDocument, outcome: EffectOutcome): TaskDocument {
  const head = doc.outbox[0];
  if (!head) throw new Error(`outbox of ${doc.state} is empty`);
  return step(doc, { type: "effect_result", at: AT, key: head.key, outcome });
}

/** Answers comments and status updates until a model call or gate run is at the head. */
const NOTICES = new Set([
  "post_comment",
  "update_status",
  "sync_pull_request",
  "report_check",
  "post_review",
  "answer_review",
]);

export function settle(doc: TaskDocument): TaskDocument {
  let current = doc;
  while (current.outbox[0] && NOTICES.has(current.outbox[0].kind)) {
    current = result(current, { kind: "done" });
  }
  return current;
}

export function head(doc: TaskDocument): Effect | undefined {
  return doc.outbox[0];
}

export function started(doc = newDoc()): TaskDocument {
  return settle(step(doc, { type: "start", at: AT, routing: ROUTING, baseCommit: "base000" }));
}

/** Gives each effect at the head its default success, `n` times. */
export function succeed(doc: TaskDocument, outcome: EffectOutcome): TaskDocument {
  return settle(result(settle(doc), outcome));
}

export function implemented(commit: string): EffectOutcome {
  return { kind: "implemented", commit, files: ["a.js"], calls: [] };
}

/** A task in implementing S1 with an approved plan. */
export function implementing(doc = newDoc()): TaskDocument {
  let d = started(doc);
  d = succeed(d, { kind: "plan", plan: PLAN, calls: [call("p#0")] });
  return succeed(d, { kind: "plan_review", review: planReview("approved"), calls: [] });
}

/** A task whose two steps are approved, waiting for the gate. */
export function gating(doc = newDoc()): TaskDocument {
  let d = implementing(doc);
  d = succeed(d, implemented("c1"));
  d = succeed(d, { kind: "code_review", review: codeReview("approved"), calls: [] });
  d = succeed(d, implemented("c2"));
  return succeed(d, { kind: "code_review", review: codeReview("approved"), calls: [] });
}

export function command(
  doc: TaskDocument,
  cmd: "approve" | "retry" | "reject" | "abort",
  feedback?: string,
): TaskDocument {
  return settle(
    step(doc, {
      type: "command",
      at: AT,
      command: cmd,
      by: "maintainer",
      escalation: doc.escalation?.id ?? 0,
      ...(feedback ? { feedback } : {}),
    }),
  );
}
