import { describe, expect, it } from "vitest";
import { parseDiff } from "../../src/core/policy/diff.ts";
import { findingLine, guardStep } from "../../src/core/policy/step-guard.ts";

/** A `git diff` of one file, as git prints it. */
function fileDiff(
  path: string,
  hunk: string,
  status: "modified" | "deleted" | "added" = "modified",
): string {
  const header =
    status === "deleted"
      ? `diff --git a/${path} b/${path}\ndeleted file mode 100644\nindex 1111111..0000000\n--- a/${path}\n+++ /dev/null`
      : status === "added"
        ? `diff --git a/${path} b/${path}\nnew file mode 100644\nindex 0000000..1111111\n--- /dev/null\n+++ b/${path}`
        : `diff --git a/${path} b/${path}\nindex 1111111..2222222 100644\n--- a/${path}\n+++ b/${path}`;
  return `${header}\n${hunk}\n`;
}

const lines = (findings: readonly { path: string; line: number | null; message: string }[]) =>
  findings.map((f) => findingLine({ ...f, kind: "outside_plan" }));

describe("parseDiff", () => {
  it("reads git's headers: added, deleted, modified, with line numbers of both sides", () => {
    const diff = [
      fileDiff("src/a.js", "@@ -3,2 +3,3 @@\n keep\n-old\n+new\n+more"),
      fileDiff("test/a.test.js", "@@ -1,2 +0,0 @@\n-a\n-b", "deleted"),
      fileDiff("src/b.js", "@@ -0,0 +1 @@\n+b", "added"),
    ].join("");
    expect(parseDiff(diff)).toEqual([
      {
        path: "src/a.js",
        status: "modified",
        added: [
          { line: 4, text: "new" },
          { line: 5, text: "more" },
        ],
        removed: [{ line: 4, text: "old" }],
      },
      {
        path: "test/a.test.js",
        status: "deleted",
        added: [],
        removed: [
          { line: 1, text: "a" },
          { line: 2, text: "b" },
        ],
      },
      { path: "src/b.js", status: "added", added: [{ line: 1, text: "b" }], removed: [] },
    ]);
    expect(parseDiff("")).toEqual([]);
  });
});

describe("the scope guard", () => {
  it("files the plan did not name are findings with their size; a planned file's test counts as planned", () => {
    const diff = parseDiff(
      [
        fileDiff("src/truncate.js", "@@ -1 +1 @@\n-a\n+b"),
        fileDiff(
          "test/truncate.test.js",
          "@@ -1 +1,2 @@\n x\n+expect(truncate('ab', 1)).toBe('…');",
        ),
        fileDiff("src/unrelated.js", "@@ -1 +1,3 @@\n x\n+y\n+z"),
      ].join(""),
    );
    const guard = guardStep(["src/truncate.js"], diff);
    expect(lines(guard.outsidePlan)).toEqual([
      "src/unrelated.js: src/unrelated.js is not among the step's planned files (modified, +2 −0)",
    ]);
    expect(guard.unplannedLines).toBe(2);
    expect(guard.weakening).toEqual([]);
    expect(guardStep(["src/**", "test/"], diff).outsidePlan).toEqual([]);
    expect(guardStep(["src"], diff).outsidePlan.map((f) => f.path)).toEqual([
      "test/truncate.test.js",
    ]);
    // A fix step names no files: nothing is outside its plan.
    expect(guardStep([], diff).outsidePlan).toEqual([]);
  });
});

describe("test weakening", () => {
  const weakening = (diff: string) => lines(guardStep([], parseDiff(diff)).weakening);

  it("skipped and focused tests, in any of the common runners", () => {
    const added = [
      "it.skip('cuts long text', () => {",
      "test.only('x', () => {})",
      "xit('y', () => {})",
      "@pytest.mark.skip(reason='flaky')",
      '\tt.Skip("later")',
      "#[ignore]",
    ];
    const diff = fileDiff(
      "test/truncate.test.js",
      `@@ -1 +1,${added.length + 1} @@\n x\n${added.map((a) => `+${a}`).join("\n")}`,
    );
    expect(weakening(diff)).toEqual(
      added.map(
        (a, i) => `test/truncate.test.js:${i + 2}: a test is skipped or focused: \`${a.trim()}\``,
      ),
    );
  });

  it("a deleted test file, removed assertions, loosened ones", () => {
    expect(weakening(fileDiff("test/a.test.js", "@@ -1,2 +0,0 @@\n-a\n-b", "deleted"))).toEqual([
      "test/a.test.js: test file test/a.test.js is deleted",
    ]);
    expect(
      weakening(
        fileDiff(
          "test/a.test.js",
          "@@ -5,3 +5,1 @@\n it('x', () => {\n-  expect(f(1)).toBe(2);\n-  expect(f(2)).toBe(3);",
        ),
      ),
    ).toEqual([
      "test/a.test.js:6: an assertion is removed: `expect(f(1)).toBe(2);`",
      "test/a.test.js:7: an assertion is removed: `expect(f(2)).toBe(3);`",
    ]);
    expect(
      weakening(
        fileDiff(
          "test/a.test.js",
          "@@ -6 +6 @@\n-  expect(f(1)).toBe(2);\n+  expect(f(1)).toBeTruthy();",
        ),
      ),
    ).toEqual(["test/a.test.js:6: an assertion is loosened: `expect(f(1)).toBeTruthy();`"]);
    // Rewriting an assertion without loosening it is not weakening.
    expect(
      weakening(
        fileDiff(
          "test/a.test.js",
          "@@ -6 +6 @@\n-  expect(f(1)).toBe(2);\n+  expect(f(1)).toBe(3);",
        ),
      ),
    ).toEqual([]);
  });

  it("lower coverage thresholds, disabled lint rules, CI configuration", () => {
    expect(
      weakening(
        fileDiff("vitest.config.ts", "@@ -8 +8 @@\n-        lines: 90,\n+        lines: 80,"),
      ),
    ).toEqual(["vitest.config.ts:8: coverage threshold lines lowered from 90 to 80"]);
    expect(
      weakening(fileDiff("pyproject.toml", "@@ -3 +3 @@\n-fail_under = 85\n+fail_under = 85")),
    ).toEqual([]);
    expect(
      weakening(
        fileDiff("src/a.ts", "@@ -1 +1,2 @@\n x\n+// eslint-disable-next-line no-explicit-any"),
      ),
    ).toEqual(["src/a.ts:2: a check is turned off: `// eslint-disable-next-line no-explicit-any`"]);
    expect(
      weakening(
        fileDiff(
          "eslint.config.js",
          "@@ -4 +4 @@\n-  'no-unused-vars': 'error',\n+  'no-unused-vars': 'off',",
        ),
      ),
    ).toEqual(["eslint.config.js:4: a check is turned off: `'no-unused-vars': 'off',`"]);
    // A string "off" in ordinary code is not a lint rule.
    expect(weakening(fileDiff("src/a.ts", "@@ -1 +1,2 @@\n x\n+const mode = 'off';"))).toEqual([]);
    expect(
      weakening(
        fileDiff(".github/workflows/ci.yml", "@@ -1 +1 @@\n-  run: npm test\n+  run: true"),
      ),
    ).toEqual([
      ".github/workflows/ci.yml: CI configuration .github/workflows/ci.yml is modified: the gate must not be changed by the task",
    ]);
  });
});
