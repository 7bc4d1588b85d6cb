import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { implementedBy, taskLine } from "../fakes/records.ts";
import { demoTask, harness } from "../fakes/harness.ts";

describe("routing from the repository's own records (local host)", () => {
  it("with a learning strategy, a task goes to the candidate that has done well here; the run log says why", async () => {
    const h = await harness();
    const records = join(h.repo, ".orchestrator", "records");
    await mkdir(records, { recursive: true });
    await writeFile(
      join(records, "2026-02.jsonl"),
      [
        ...implementedBy("anthropic/claude-sonnet-5-5", 3, 27),
        ...implementedBy("google/gemini-3.5-flash", 29, 1),
      ].join("\n") + "\n",
    );
    const base = (await h.host()).config;
    const host = await h.host({
      config: { ...base, routing: { ...base.routing, strategy: "performance" } },
    });
    const task = await demoTask();
    const doc = await host.engine.start(task);
    expect(doc.routing?.implementer.model).toBe("google/gemini-3.5-flash");
    // 30 tasks two days old count 28.5 with the default 30-day half-life.
    expect(doc.routing?.implementer.rationale).toMatch(
      /performance: the highest expected success \(expected success 9\d % from 28\.5 task\(s\)/,
    );
    expect(
      doc.history.find((e) => e.message.startsWith("Routing [implementer]"))?.message,
    ).toContain("confidence");
    // The reviewer of a Google implementer is not Google.
    expect(doc.routing?.code_reviewer.model.startsWith("google/")).toBe(false);
  });

  it("the planner is shown this repository's similar past tasks, as data, and how they ended", async () => {
    const h = await harness();
    const records = join(h.repo, ".orchestrator", "records");
    await mkdir(records, { recursive: true });
    const past = taskLine({
      task: "7",
      goal: "Add a truncate helper for long titles",
      outcome: "failure",
      quality_gate_passed: false,
      quality_gate_first_pass: false,
      error: { type: "gate_attempts_exhausted", message: "m", step: null },
    });
    await writeFile(join(records, "2026-02.jsonl"), `${JSON.stringify(past)}\n`);
    const host = await h.host();
    const task = await demoTask();
    await host.engine.start(task);
    await host.engine.run(task.id);
    const planner = JSON.stringify(
      h.replay.requests.find((r) => r.tag.role === "planner")?.messages,
    );
    expect(planner).toContain("Similar past tasks in this repository:");
    expect(planner).toContain("Add a truncate helper for long titles");
    expect(planner).toContain("stopped once for gate attempts exhausted");
  });

  it("baseline (the default) ignores the records", async () => {
    const h = await harness();
    const records = join(h.repo, ".orchestrator", "records");
    await mkdir(records, { recursive: true });
    await writeFile(
      join(records, "2026-02.jsonl"),
      implementedBy("google/gemini-3.5-flash", 30, 0).join("\n") + "\n",
    );
    const doc = await (await h.host()).engine.start(await demoTask());
    expect(doc.routing?.implementer.model).toBe("anthropic/claude-sonnet-5-5");
  });
});
