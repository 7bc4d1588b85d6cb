import type { TaskLine } from "../../src/core/learning/records.ts";

/** A finished task's record line: a small core task at medium risk that went well, unless told otherwise. */
export function taskLine(o: Partial<TaskLine> = {}): TaskLine {
  return {
    v: 5,
    kind: "task",
    task: "1",
    goal: "Add a helper",
    area: "core",
    risk: "medium",
    complexity: "small",
    models: { implementer: { model: "anthropic/claude-sonnet-5-5", provider: "anthropic" } },
    outcome: "success",
    durationMs: 1,
    costUsd: 0.1,
    steps: 1,
    retries: 0,
    escalations: 0,
    plan_review_passed: true,
    plan_review_first_pass: true,
    code_review_passed: true,
    code_review_first_pass: true,
    quality_gate_passed: true,
    quality_gate_first_pass: true,
    error: null,
    merged: null,
    survival: null,
    startedAt: "2026-02-01T00:00:00.000Z",
    finishedAt: "2026-02-01T00:00:00.000Z",
    ...o,
  };
}

/** Record lines of `wins + losses` earlier tasks of the demo's class that `model` implemented. */
export function implementedBy(model: string, wins: number, losses: number): string[] {
  return Array.from({ length: wins + losses }, (_, i) =>
    JSON.stringify(
      taskLine({
        task: `${model}-${String(i)}`,
        models: { implementer: { model, provider: model.split("/")[0] ?? "" } },
        outcome: i < wins ? "success" : "failure",
        quality_gate_passed: i < wins,
        quality_gate_first_pass: i < wins,
      }),
    ),
  );
}
