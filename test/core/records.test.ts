import { readFileSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { StateBranchStore } from "../../src/adapters/github/state/state-branch-store.ts";
import { FileStateStore } from "../../src/adapters/local/file-state-store.ts";
import {
  parseRecordLine,
  readRecords,
  recordLines,
  taskOutcome,
} from "../../src/core/learning/records.ts";
import { FakeGitHub } from "../fakes/fake-github.ts";
import { GREEN, command, gating, newDoc, result, settle } from "../fakes/machine.ts";

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/records/historical/${name}`, import.meta.url), "utf8");

let fake: FakeGitHub | undefined;
afterEach(() => {
  fake?.stop();
  fake = undefined;
});

describe("records", () => {
  it("every released version still reads: v1 call lines become calls, v2 and v3 as written", () => {
    const v1 = readRecords([fixture("v1.jsonl")]);
    expect(v1.tasks).toEqual([]);
    expect(v1.calls.length).toBeGreaterThan(0);
    expect(v1.calls[0]).toMatchObject({
      v: 5,
      kind: "call",
      task: "TEXT-001",
      role: "planner",
      result: "answered",
    });
    const v2 = readRecords([fixture("v2.jsonl")]);
    expect(v2.tasks).toHaveLength(1);
    expect(v2.calls.length).toBe(fixture("v2.jsonl").trim().split("\n").length - 1);
    const v3 = readRecords([fixture("v3.jsonl")]);
    expect(v3.tasks[0]?.goal).toMatch(/^Add a truncate\(text, max\) helper/);
    expect(v3.tasks[0]?.survival).toBeNull();
    // v4: a later line of the same task (merged, its lines counted 30 days on) is the one kept.
    const v4 = readRecords([fixture("v4.jsonl")]);
    expect(v4.tasks).toHaveLength(1);
    expect(v4.tasks[0]).toMatchObject({ merged: true, survival: { lines: 31, surviving: 27 } });
    // Before v5 no call named an effort: null on calls, absent on the task's roles.
    expect(v4.calls.every((c) => c.effort === null)).toBe(true);
    expect(v4.tasks[0]?.models.implementer).not.toHaveProperty("effort");
    // v5: each call's effort, and each role's most named one.
    const v5 = readRecords([fixture("v5.jsonl")]);
    expect(v5.tasks[0]?.models).toMatchObject({
      planner: { effort: "xhigh" },
      implementer: { effort: "low" },
    });
    expect(v5.calls.find((c) => c.role === "implementer")?.effort).toBe("low");
    expect(v5.calls.length).toBe(v4.calls.length);
    // A torn or foreign line is skipped, not fatal.
    expect(parseRecordLine('{"v":2,"kind":"task"')).toBeNull();
    expect(parseRecordLine('{"hello":"world"}')).toBeNull();
  });

  it("a task's outcome and each call's result", () => {
    const green = settle(result(gating(), { kind: "gate", result: GREEN }));
    expect(green.state).toBe("done");
    expect(taskOutcome(green)).toBe("success");
    const [task, ...calls] = recordLines(green);
    expect(task).toMatchObject({
      kind: "task",
      outcome: "success",
      quality_gate_first_pass: true,
      plan_review_first_pass: true,
      merged: null,
    });
    expect(calls.find((c) => c.kind === "call" && c.role === "planner")).toMatchObject({
      result: "approved_first_time",
      effort: null,
    });
    // A ledger entry's effort goes into its call line and its role's line in the task.
    const atLow = {
      ...green,
      ledger: green.ledger.map((c) =>
        c.role === "planner" ? { ...c, effort: "low" as const } : c,
      ),
    };
    const [lowTask, ...lowCalls] = recordLines(atLow);
    expect(lowTask?.kind === "task" && lowTask.models.planner?.effort).toBe("low");
    const lowPlanner = lowCalls.find((c) => c.kind === "call" && c.role === "planner");
    expect(lowPlanner?.kind === "call" && lowPlanner.effort).toBe("low");
    const waiting = {
      ...gating(),
      state: "awaiting_human" as const,
      outbox: [],
      escalation: {
        id: 1,
        reason: "step_rejected" as const,
        message: "m",
        phase: "gating" as const,
        step: null,
        blocked: null,
        at: "x",
      },
    };
    expect(taskOutcome(command(waiting, "reject"))).toBe("human_required");
    expect(taskOutcome(command(waiting, "abort"))).toBe("cancelled");
    // Only the calls not recorded yet.
    expect(recordLines(green, green.ledger.length)).toHaveLength(1);
  });

  it("two workers ending tasks at once on GitHub: both tasks' lines are in the month's file", async () => {
    fake = new FakeGitHub().start();
    const client = () =>
      new ProbotOctokit({
        auth: { token: "ghs_test" },
        throttle: { enabled: false },
        retry: { enabled: false },
      });
    const open = () =>
      new StateBranchStore({
        github: client(),
        repo: { owner: fake?.owner ?? "", repo: fake?.repo ?? "" },
        branch: "orchestrator/state",
      });
    await open().save({ document: newDoc(), expectedVersion: null, runLog: "" });
    const a = { ...newDoc(), id: "A" };
    const b = { ...newDoc(), id: "B" };
    const [sa, sb] = [open(), open()];
    const va = await sa.save({ document: a, expectedVersion: null, runLog: "" });
    const vb = await sb.save({ document: b, expectedVersion: null, runLog: "" });
    await Promise.all([
      sa.save({
        document: { ...a, state: "done" },
        expectedVersion: va,
        runLog: "",
        records: { path: "records/2026-01.jsonl", lines: ['{"a":1}', '{"a":2}'] },
      }),
      sb.save({
        document: { ...b, state: "done" },
        expectedVersion: vb,
        runLog: "",
        records: { path: "records/2026-01.jsonl", lines: ['{"b":1}'] },
      }),
    ]);
    expect((fake.stateFile("records/2026-01.jsonl") ?? "").trim().split("\n").sort()).toEqual([
      '{"a":1}',
      '{"a":2}',
      '{"b":1}',
    ]);
  });

  it("two processes ending tasks at once locally: nothing lost", async () => {
    const dir = await mkdtemp(join(tmpdir(), "records-"));
    const [s1, s2] = [
      new FileStateStore({ directory: dir }),
      new FileStateStore({ directory: dir }),
    ];
    const docs = Array.from({ length: 8 }, (_, i) => ({ ...newDoc(), id: `T${i}` }));
    await Promise.all(
      docs.map((d, i) =>
        (i % 2 ? s1 : s2).save({
          document: d,
          expectedVersion: null,
          runLog: "",
          records: { path: "records/2026-01.jsonl", lines: [`{"t":${i}}`] },
        }),
      ),
    );
    const text = await readFile(join(dir, "records/2026-01.jsonl"), "utf8");
    expect(text.trim().split("\n").sort()).toEqual(docs.map((_, i) => `{"t":${i}}`).sort());
  });
});
