import { describe, expect, it } from "vitest";
import type { TaskLine } from "../../src/core/learning/records.ts";
import { similarTasks, similarTasksText } from "../../src/core/learning/similar.ts";
import { taskLine } from "../fakes/records.ts";

function task(id: string, goal: string, o: Partial<TaskLine> = {}): TaskLine {
  return taskLine({ task: id, goal, costUsd: 0.12, steps: 3, merged: true, ...o });
}

const HISTORY = [
  task("1", "Add a slugify(text) helper"),
  task("2", "Add truncate(text, max) that cuts long strings with an ellipsis", {
    outcome: "partial",
    quality_gate_first_pass: false,
    error: { type: "gate_attempts_exhausted", message: "m", step: null },
  }),
  task("3", "Document the HTTP client retries", { area: "docs" }),
  task("4", "Rename the config loader"),
];

describe("similar past tasks", () => {
  it("finds tasks by their goals, forgiving a typo and a word's other forms", () => {
    expect(
      similarTasks(HISTORY, { goal: "truncat long text to max characters", area: "core" }, 2).map(
        (t) => t.task,
      )[0],
    ).toBe("2");
    expect(
      similarTasks(HISTORY, { goal: "retry docs", area: "docs" }, 1).map((t) => t.task),
    ).toEqual(["3"]);
  });

  it("never the task itself, nothing for an empty history or goal", () => {
    expect(
      similarTasks(HISTORY, { goal: "slugify helper", area: "core", exclude: "1" }).map(
        (t) => t.task,
      ),
    ).not.toContain("1");
    expect(similarTasks([], { goal: "x", area: "core" })).toEqual([]);
    expect(similarTasks(HISTORY, { goal: " ", area: "core" })).toEqual([]);
  });

  it("reads for the planner as data: how each ended and what stopped it", () => {
    expect(similarTasksText([HISTORY[1] as TaskLine])).toBe(
      '- "Add truncate(text, max) that cuts long strings with an ellipsis" (core, medium risk, $0.12): partial; implemented by anthropic/claude-sonnet-5-5; approved at first review; CI red at first; stopped once for gate attempts exhausted; merged',
    );
    expect(similarTasksText([])).toBe("(no similar task has finished in this repository yet)");
  });
});
