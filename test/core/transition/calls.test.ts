import { describe, expect, it } from "vitest";
import { call, head, implementing, result, started } from "../../fakes/machine.ts";

describe("every outcome's paid calls and tool calls", () => {
  it("a call goes into the ledger once per key, with its fallbacks and retries in the history", () => {
    const doc = started();
    const paid = {
      ...call("p#0"),
      fallback: [{ model: "openai/gpt-5", reason: "rate_limited" }],
      retries: [
        { kind: "overloaded", waitMs: 1500 },
        { kind: "timeout", waitMs: 3000 },
      ],
    };
    const planned = result(doc, {
      kind: "failed",
      reason: "invalid_output",
      message: "bad",
      calls: [paid],
    });
    expect(planned.ledger.map((c) => c.key)).toEqual(["p#0"]);
    const added = planned.history.slice(doc.history.length).map((h) => [h.category, h.message]);
    expect(added.slice(0, 3)).toEqual([
      [
        "routing",
        "[planner] openai/gpt-5 did not answer (rate_limited); google/gemini-2.5-pro answered instead",
      ],
      [
        "retry",
        "[planner] google/gemini-2.5-pro answered after 2 retries: overloaded (waited 1.5s), timeout (waited 3.0s)",
      ],
      ["llm_call", "LLM call [planner] google/gemini-2.5-pro (cost=$0.0100, 0.0s, planner@1)"],
    ]);
    // A call the ledger already has (an effect redone after a crash) is not counted again.
    const again = result(
      { ...planned, outbox: doc.outbox },
      {
        kind: "failed",
        reason: "invalid_output",
        message: "bad",
        calls: [paid],
      },
    );
    expect(again.ledger).toHaveLength(1);
    expect(again.history.filter((h) => h.category === "llm_call")).toHaveLength(1);
  });

  it("an implementation's tool calls are one history entry, a refused one making it a warning", () => {
    const doc = implementing();
    expect(head(doc)?.kind).toBe("implement_step");
    const done = result(doc, {
      kind: "implemented",
      commit: "c1",
      files: ["a.js"],
      calls: [],
      tools: [
        { summary: "read_file a.js", refused: false },
        { summary: "write_file .github/workflows/x.yml", refused: true },
      ],
    });
    expect(done.history.at(-2)).toEqual({
      at: expect.any(String),
      category: "llm_call",
      level: "warning",
      message: "implementer S1 attempt 1: 2 tool calls, 1 refused",
      details: ["ok: read_file a.js", "refused: write_file .github/workflows/x.yml"],
    });
  });
});
