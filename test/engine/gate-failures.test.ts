import { describe, expect, it } from "vitest";
import { cassetteWith } from "../fakes/harness.ts";
import { runWith } from "../fakes/tool-run.ts";

/**
 * One failure as AVA's default reporter prints it after its `─` rule (the shape of
 * test/fixtures/ci-logs/ava-default.log, from avajs/ava's reporter tests).
 */
const block = (title: string, line: number) => `
  truncate › ${title}

  truncate.test.js:${line}

   ${line}:   t.is(truncate('hello world', 5), 'hell…');

  Difference (- actual, + expected):

  - 'hello…'
  + 'hell…'

  › file://test/truncate.test.js:${line}:5
`;

/** A gate that prints AVA's output: three failures, then (after F1) the last two. */
const CI = `import { existsSync, readFileSync } from "node:fs";
if (existsSync("fixed.txt")) process.exit(0);
const fixed = readFileSync("src/truncate.js", "utf8").includes("max - 1");
const all = ${JSON.stringify([
  ["cuts long text", 12],
  ["keeps the ellipsis inside max", 18],
  ["counts emoji as one character", 24],
])};
const failing = fixed ? all.slice(1) : all;
const block = ${block.toString()};
console.log(failing.map(([t]) => "  ✘ [fail]: truncate › " + t).join("\\n"));
console.log("  ─");
console.log(failing.map(([t, l]) => block(t, l)).join("\\n\\n"));
console.log("  ─\\n\\n  " + failing.length + (failing.length === 1 ? " test failed" : " tests failed"));
process.exit(1);
`;

describe("a red gate's failures, one by one", () => {
  it("the fixer is shown each failing test's file and line, and a fix that repairs some of them is progress, not the same failure", async () => {
    const { doc, h } = await runWith(
      { "ci.mjs": CI },
      await cassetteWith(
        {
          role: "fixer",
          step: "F2",
          tool_calls: [
            { name: "create_file", input: { path: "fixed.txt", content: "counted\n" } },
            { name: "finish", input: { summary: "Counted emoji." } },
          ],
        },
        {
          role: "code_reviewer",
          step: "F2",
          object: {
            status: "approved",
            required_changes: [],
            optional_improvements: [],
            scores: { correctness: 9, readability: 9, tests: 8 },
          },
        },
      ),
      {
        config: (c) => ({
          ...c,
          gate: { commands: [{ name: "test", run: "node ci.mjs", timeout_seconds: 60 }] },
        }),
      },
    );
    const failure = (step: string) => {
      const request = h.replay.requests.find((r) => r.tag.role === "fixer" && r.tag.step === step);
      return JSON.stringify(request?.messages[0]?.content);
    };
    expect(failure("F1")).toContain(
      "Failing (ava; file and line from the output):\\n- truncate › cuts long text at test/truncate.test.js:12:5\\n- truncate › keeps the ellipsis inside max at test/truncate.test.js:18:5\\n- truncate › counts emoji as one character at test/truncate.test.js:24:5\\n",
    );
    // F1 repaired one of the three. The log's last lines are as before (numbers aside), which
    // is all that was compared when no extractor read AVA's output: the task stopped there.
    expect(failure("F2")).toContain(
      "Failing (ava; file and line from the output):\\n- truncate › keeps the ellipsis inside max at test/truncate.test.js:18:5\\n- truncate › counts emoji as one character at test/truncate.test.js:24:5\\n",
    );
    expect(doc.escalation).toBeNull();
    expect(doc.state).toBe("done");
    expect(doc.gate.fixes).toBe(2);
  });
});
