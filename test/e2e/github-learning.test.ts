import { afterEach, describe, expect, it } from "vitest";
import type { TaskLine } from "../../src/core/learning/records.ts";
import { appHarness, type AppHarness } from "../fakes/app-harness.ts";
import { taskOf } from "../fakes/app-scenario.ts";

let h: AppHarness | undefined;
afterEach(() => {
  h?.stop();
  h = undefined;
});

/** Finished tasks of the demo issue's class (core, medium) in another repository. */
function tasksElsewhere(model: string, wins: number, losses: number): string {
  return Array.from({ length: wins + losses }, (_, i): TaskLine => ({
    v: 3,
    kind: "task",
    task: `${model}-${i}`,
    goal: "Add a helper",
    area: "core",
    risk: "medium",
    complexity: "small",
    models: { implementer: { model, provider: model.split("/")[0] ?? "" } },
    outcome: i < wins ? "success" : "failure",
    durationMs: 1,
    costUsd: 0.1,
    steps: 1,
    retries: 0,
    escalations: 0,
    plan_review_passed: true,
    plan_review_first_pass: true,
    code_review_passed: true,
    code_review_first_pass: true,
    quality_gate_passed: i < wins,
    quality_gate_first_pass: i < wins,
    error: null,
    merged: null,
    startedAt: "2026-02-01T00:00:00.000Z",
    finishedAt: "2026-02-01T00:00:00.000Z",
  }))
    .map((t) => JSON.stringify(t))
    .join("\n");
}

describe("routing that learns on GitHub", () => {
  it("a repository with no history of its own starts from its installation's experience: the other repositories' records", async () => {
    h = await appHarness();
    h.github.files.set(".github/orchestrator.yml", "routing:\n  strategy: performance\n");
    h.github.otherRepositories.push({
      name: "sibling",
      files: new Map([
        [
          "records/2026-01.jsonl",
          `${tasksElsewhere("google/gemini-3.5-flash", 40, 0)}\n${tasksElsewhere("anthropic/claude-sonnet-5-5", 5, 35)}\n`,
        ],
      ]),
    });
    await h.deliver("issues", h.labeled());
    const doc = taskOf(h.github);
    expect(doc?.routing?.implementer.model).toBe("google/gemini-3.5-flash");
    expect(doc?.routing?.implementer.rationale).toMatch(
      /performance: the highest expected success/,
    );
    // The installation's experience counts for at most 10 tasks: a repository's own outweighs it.
    expect(doc?.routing?.implementer.rationale).toMatch(/from 10\.0 task\(s\)/);
    expect(h.github.unknown).toEqual([]);
  });

  it("the baseline strategy (the default) reads no records", async () => {
    h = await appHarness();
    // The start-up sweep lists the installation's repositories; routing must not again.
    const listings = () =>
      h?.github.requests.filter((r) => r.path === "/installation/repositories").length;
    const before = listings();
    await h.deliver("issues", h.labeled());
    expect(taskOf(h.github)?.routing?.implementer.model).toBe("anthropic/claude-sonnet-5-5");
    expect(listings()).toBe(before);
  });
});
