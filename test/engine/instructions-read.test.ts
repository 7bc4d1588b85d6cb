import { describe, expect, it } from "vitest";
import { repositoryInstructions, wideConventions } from "../../src/engine/effects/instructions.ts";

/** A tree whose base commit and branch head hold different AGENTS.md files. */
function tree() {
  const asked: string[] = [];
  const at: Record<string, string> = { base1: "base rules", head1: "branch rules" };
  return {
    asked,
    filesAt: (commit: string) => {
      asked.push(commit);
      return Promise.resolve([{ path: "AGENTS.md", size: 10 }]);
    },
    readAt: (commit: string) => {
      asked.push(commit);
      return Promise.resolve(at[commit] ?? null);
    },
  };
}

describe("repositoryInstructions", () => {
  it("reads the base commit only", async () => {
    const t = tree();
    const found = await repositoryInstructions(t, { baseCommit: "base1" });
    expect(found?.wide.map((i) => i.body)).toEqual(["base rules"]);
    expect(new Set(t.asked)).toEqual(new Set(["base1"]));
  });

  it("refuses to fall back to the branch when the task has no base commit", async () => {
    const t = tree();
    const found = await repositoryInstructions(t, { baseCommit: null });
    expect(found).toBeNull();
    expect(t.asked).toEqual([]);
    expect(wideConventions(found, (s) => s.length)).toMatch(/^\(not read: .*never read/);
  });
});
