import { describe, expect, it } from "vitest";
import { changeRefusal } from "../../src/core/policy/change.ts";
import { toolLogEntry } from "../../src/core/task/tool-log.ts";

describe("the run log's entry for a tool loop", () => {
  it("counts the calls and the refused ones, one detail per call", () => {
    expect(
      toolLogEntry("implementer S1 attempt 1", [
        { summary: "read_file a.js: read", refused: false },
        { summary: "edit_file a.js refused: search text not found", refused: true },
      ]),
    ).toEqual({
      level: "warning",
      message: "implementer S1 attempt 1: 2 tool calls, 1 refused",
      details: [
        "ok: read_file a.js: read",
        "refused: edit_file a.js refused: search text not found",
      ],
    });
  });

  it("keeps the first and last calls of a long loop", () => {
    const notes = Array.from({ length: 100 }, (_, i) => ({ summary: `call ${i}`, refused: false }));
    const { details, level } = toolLogEntry("fixer F1 attempt 1", notes);
    expect(level).toBe("info");
    expect(details).toHaveLength(61);
    expect(details[0]).toBe("ok: call 0");
    expect(details[30]).toBe("… 40 more calls …");
    expect(details.at(-1)).toBe("ok: call 99");
  });
});

describe("a step that changed nothing", () => {
  const rules = {
    protectedPaths: [],
    maxChangedFiles: 10,
    maxDeletedShare: 0.5,
    protectedScripts: [],
  };
  const facts = { changed: [], deleted: [], filesBefore: 0, manifests: [] };

  it("names the role that finished", () => {
    expect(changeRefusal({ ...facts, role: "fixer" }, rules)?.message).toBe(
      "The fixer finished without changing any file.",
    );
  });

  it("says what the tools refused it", () => {
    expect(
      changeRefusal(
        { ...facts, role: "implementer", refused: ["a", "edit_file x.js refused: y"] },
        rules,
      )?.message,
    ).toBe(
      "The implementer finished without changing any file. The tools refused 2 of its calls (each is in the run log); the last: edit_file x.js refused: y",
    );
  });
});
