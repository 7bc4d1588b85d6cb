import { describe, expect, it } from "vitest";
import { renderInstructions } from "../../src/core/instructions/render.ts";
import { instructionsFor, sortInstructions } from "../../src/core/instructions/select.ts";

const tokens = (text: string) => Math.ceil(text.length / 4);

describe("sortInstructions and instructionsFor", () => {
  const found = sortInstructions([
    { path: "pkg/a/AGENTS.md", text: "a" },
    { path: "pkg/AGENTS.md", text: "pkg" },
    { path: "AGENTS.md", text: "root" },
    { path: "docs/AGENTS.md.bak", text: "not one" },
    { path: "src/CLAUDE.md", text: "nested CLAUDE.md is not read" },
    { path: ".github/copilot-instructions.md", text: "copilot" },
    {
      path: ".github/instructions/ts.instructions.md",
      text: "---\napplyTo: '**/*.ts, src/**/*.tsx'\n---\nts",
    },
    { path: ".github/instructions/all.instructions.md", text: '---\napplyTo: "**"\n---\nall' },
    {
      path: ".github/instructions/manual.instructions.md",
      text: "---\ndescription: x\n---\nmanual",
    },
    { path: ".github/instructions/bad.instructions.md", text: "---\napplyTo: [\n---\nbroken" },
    { path: ".github/instructions/rx.instructions.md", text: "---\napplyTo: '(a+)+b'\n---\nrx" },
  ]);

  it("keeps the repository-wide files, root first, and scopes the others", () => {
    expect(found.wide.map((i) => i.path)).toEqual([
      "AGENTS.md",
      ".github/copilot-instructions.md",
      ".github/instructions/all.instructions.md",
    ]);
    expect(found.wide.find((i) => i.path.endsWith("all.instructions.md"))?.body).toBe("all");
    expect(found.scoped.map((i) => i.path).sort()).toEqual([
      ".github/instructions/rx.instructions.md",
      ".github/instructions/ts.instructions.md",
      "pkg/AGENTS.md",
      "pkg/a/AGENTS.md",
    ]);
  });

  it("gives each file its nearest AGENTS.md and the applyTo globs that match it", () => {
    const paths = (files: string[]) => instructionsFor(found.scoped, files).map((i) => i.path);
    expect(paths(["pkg/a/x.js"])).toEqual(["pkg/a/AGENTS.md"]);
    expect(paths(["pkg/b/x.js"])).toEqual(["pkg/AGENTS.md"]);
    expect(paths(["pkgs/x.js", "README.md"])).toEqual([]);
    expect(paths(["lib/deep/x.ts"])).toEqual([".github/instructions/ts.instructions.md"]);
    expect(paths(["src/x.tsx", "pkg/a/b/c.js"]).sort()).toEqual([
      ".github/instructions/ts.instructions.md",
      "pkg/a/AGENTS.md",
    ]);
    // A repository's glob is compiled to RE2: a pathological one is just a glob, matched in linear time.
    expect(paths([`${"a".repeat(5_000)}c`])).toEqual([]);
  });
});

describe("renderInstructions", () => {
  const file = (path: string, body: string) => ({ path, applyTo: null, body });

  it("shows every file under its heading when they fit", () => {
    expect(
      renderInstructions([file("AGENTS.md", "one"), file("CLAUDE.md", "two")], 100, tokens, "none"),
    ).toBe(
      "--- AGENTS.md (the whole repository) ---\none\n\n--- CLAUDE.md (the whole repository) ---\ntwo",
    );
    expect(renderInstructions([], 100, tokens, "none")).toBe("none");
  });

  it("cuts at a line within the budget, says so, and names what is left out", () => {
    const long = Array.from({ length: 200 }, (_, i) => `line ${i} of the rules`).join("\n");
    const text = renderInstructions(
      [file("AGENTS.md", long), file("CLAUDE.md", "later")],
      200,
      tokens,
      "",
    );
    expect(tokens(text)).toBeLessThanOrEqual(200 + 60);
    expect(text).toMatch(/line \d+ of the rules\n… \(cut: \d+ of 4289 characters shown/);
    expect(text).toMatch(/\(left out to keep the prompt bounded: CLAUDE\.md\)$/);
    expect(text).not.toContain("later");
  });
});
