import { describe, expect, it } from "vitest";
import type { CallRecord } from "../../src/core/cost/ledger.ts";
import { BudgetExceededError, ModelOutputError } from "../../src/core/errors.ts";
import { agentStep } from "../../src/engine/agents/agent-step.ts";
import type { AgentAnswer, AgentRequest, CallResult } from "../../src/engine/calls/model-caller.ts";
import type { FileChange, WorkTree } from "../../src/ports/workspace.ts";
import { answer } from "../fakes/pending-call.ts";

const EFFECT = "T1:implementing:S1:1:implement";
const site = {
  task: "T1",
  effectKey: EFFECT,
  role: "implementer" as const,
  modelRef: "claude-code/claude-sonnet-4-5",
  step: "S1",
  attempt: 1,
  prompt: "implementer@5",
};

const record = (turn: number, stopReason = "end"): CallRecord => ({
  ...answer(undefined, undefined, `${EFFECT}#${turn}`).record,
  stopReason,
});

function run(turn: number, over: Partial<AgentAnswer> = {}): CallResult<AgentAnswer> {
  return {
    record: record(turn, over.stop ?? "end"),
    response: {
      summary: `run ${turn}`,
      stop: "end",
      turns: 2,
      limitUsd: 4,
      tree: `tree-${turn}`,
      ...over,
    },
  };
}

/** A work tree that is clean or not, and keeps what was restored. */
function tree(changes: FileChange[], snapshots: readonly string[]) {
  const restored: string[] = [];
  const fake = {
    changes: () => Promise.resolve(changes),
    restore: (snapshot: string) => {
      restored.push(snapshot);
      return Promise.resolve(snapshots.includes(snapshot));
    },
  };
  return { restored, tree: fake as unknown as WorkTree };
}

function step(options: {
  readonly journaled: CallRecord[];
  readonly recorded?: string[];
  readonly answers: (turn: number) => CallResult<AgentAnswer>;
  readonly tree: WorkTree;
}) {
  const turns: number[] = [];
  const requests: AgentRequest[] = [];
  const calls: CallRecord[] = [];
  const done = agentStep({
    call: (turn, request) => {
      turns.push(turn);
      requests.push(request);
      return Promise.resolve(options.answers(turn));
    },
    journaled: () => Promise.resolve(options.journaled),
    recorded: new Set(options.recorded ?? []),
    site,
    prompt: {
      prompt: "implementer@5",
      system: "Implement.",
      user: "S1: add notes",
      userParts: ["S1: add notes"],
    },
    tree: options.tree,
    directory: "/tree",
    timeoutMs: 20 * 60_000,
    maxTurns: 40,
    calls,
  });
  return { done, turns, requests, calls };
}

describe("a step by a coding agent", () => {
  it("a first run is turn 0: it is asked our instructions and the step, and its files are left as they are", async () => {
    const t = tree([{ path: "AGENT_NOTES.md", status: "added" }], []);
    const s = step({ journaled: [], answers: run, tree: t.tree });
    expect(await s.done).toBe("run 0");
    expect(s.turns).toEqual([0]);
    expect(s.requests[0]).toMatchObject({
      instructions: "Implement.",
      prompt: "S1: add notes",
      directory: "/tree",
    });
    expect(t.restored).toEqual([]);
    expect(s.calls.map((c) => c.key)).toEqual([`${EFFECT}#0`]);
  });

  it("a run journaled but not recorded by the task is replayed: its snapshot restores its files on the clean tree", async () => {
    const t = tree([], ["tree-0"]);
    const s = step({ journaled: [record(0)], answers: run, tree: t.tree });
    expect(await s.done).toBe("run 0");
    expect(s.turns).toEqual([0]);
    expect(t.restored).toEqual(["tree-0"]);
  });

  it("when the snapshot is gone, that run stays paid for and one more is made", async () => {
    const t = tree([], ["tree-1"]);
    const s = step({ journaled: [record(0)], answers: run, tree: t.tree });
    expect(await s.done).toBe("run 1");
    expect(s.turns).toEqual([0, 1]);
    expect(s.calls.map((c) => c.key)).toEqual([`${EFFECT}#0`, `${EFFECT}#1`]);
  });

  it("a run the task has recorded ended an earlier try: the effect's next run is the next turn, and the earlier one stays in its calls", async () => {
    const t = tree([{ path: "x", status: "added" }], []);
    const s = step({
      journaled: [record(0, "budget_limit")],
      recorded: [`${EFFECT}#0`],
      answers: run,
      tree: t.tree,
    });
    expect(await s.done).toBe("run 1");
    expect(s.turns).toEqual([1]);
    expect(s.calls.map((c) => c.key)).toEqual([`${EFFECT}#0`, `${EFFECT}#1`]);
  });

  it("a run stopped at a cap is the matching failure, and is billed", async () => {
    const t = tree([], []);
    const budget = step({
      journaled: [],
      answers: (n) => run(n, { stop: "budget_limit", turns: 7 }),
      tree: t.tree,
    });
    await expect(budget.done).rejects.toThrow(BudgetExceededError);
    await expect(budget.done).rejects.toThrow(
      "stopped after 7 turns: its usage reached the $4.0000",
    );
    expect(budget.calls).toHaveLength(1);
    // A capped run's files are dropped by the effect: they are not restored.
    expect(t.restored).toEqual([]);
    const turns = step({
      journaled: [],
      answers: (n) => run(n, { stop: "turn_limit" }),
      tree: t.tree,
    });
    await expect(turns.done).rejects.toMatchObject({
      kind: "tool_limit",
      message: expect.stringContaining("past 40 turns"),
    });
    const time = step({
      journaled: [],
      answers: (n) => run(n, { stop: "time_limit" }),
      tree: t.tree,
    });
    await expect(time.done).rejects.toBeInstanceOf(ModelOutputError);
    await expect(time.done).rejects.toThrow("after 20 minutes");
  });
});
