import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cassetteWith, type Patch } from "../fakes/harness.ts";
import { runWith } from "../fakes/tool-run.ts";

/** The demo's new module, as its cassette writes it. */
const TRUNCATE =
  '/** Shortens text to at most `max` characters, ending with "…" when it cuts. */\nexport function truncate(text, max) {\n  if (text.length <= max) return text;\n  return text.slice(0, max) + "…";\n}\n';

/** Step S1's first turn replaced: the demo's new module, then `calls`. */
function s1(...calls: NonNullable<Patch["tool_calls"]>): Patch {
  return {
    role: "implementer",
    step: "S1",
    tool_calls: [
      {
        name: "write_file",
        input: {
          path: "src/truncate.js",
          content: TRUNCATE,
        },
      },
      ...calls,
    ],
  };
}

const INDEX_CRLF = '// textkit: small text helpers\r\nexport { slugify } from "./slugify.js";\r\n';

describe("edits on a CRLF file", () => {
  it("a multi-line search, written as read_file shows the file, lands and keeps CRLF", async () => {
    const { doc, show } = await runWith(
      { "src/index.js": INDEX_CRLF },
      await cassetteWith(
        s1({
          name: "edit_file",
          input: {
            path: "src/index.js",
            search: '// textkit: small text helpers\nexport { slugify } from "./slugify.js";\n',
            replace:
              '// textkit: small text helpers\nexport { slugify } from "./slugify.js";\nexport { truncate } from "./truncate.js";\n',
          },
        }),
      ),
    );
    expect(doc.steps[0]?.status).toBe("completed");
    expect(await show("src/index.js", doc.steps[0]?.commits[0])).toBe(
      `${INDEX_CRLF}export { truncate } from "./truncate.js";\r\n`,
    );
  });

  it("the demo's one-line edits keep every file's CRLF, byte order mark and missing final newline", async () => {
    const readme =
      "\uFEFF# textkit\r\n\r\nSmall text helpers.\r\n\r\n## API\r\n\r\n### slugify(text)\r\n\r\nTurns text into a URL-safe slug.";
    const { doc, show } = await runWith(
      { "src/index.js": INDEX_CRLF, "README.md": readme },
      await cassetteWith(),
    );
    expect(doc.state).toBe("done");
    const index = await show("src/index.js");
    expect(index).toBe(`${INDEX_CRLF}export { truncate } from "./truncate.js";\r\n`);
    const docs = await show("README.md");
    expect(docs.startsWith(readme)).toBe(true);
    expect(docs.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    expect(docs).toMatch(/positive integer\.$/);
  });
});

const INDEX_BLOCK = `export { slugify } from "./slugify.js";

/** Every helper by name. */
export function helpers() {
  const all = {
    slugify: "slugify",
  };
  return all;
}

/** The helpers that change text. */
export function changers() {
  return {
    slugify: "slugify",
  };
}
`;

const finish = (turn: number): Patch => ({
  role: "implementer",
  step: "S1",
  turn,
  tool_calls: [{ name: "finish", input: { summary: "done" } }],
});

describe("edits whose search drifted", () => {
  it("a block copied without its indentation and with a trailing space lands, re-indented", async () => {
    const { doc, show, answered } = await runWith(
      { "src/index.js": INDEX_BLOCK },
      await cassetteWith(
        s1({
          name: "edit_file",
          input: {
            path: "src/index.js",
            search: 'const all = { \n  slugify: "slugify",\n};',
            replace: 'const all = {\n  slugify: "slugify",\n  truncate: "truncate",\n};',
          },
        }),
      ),
    );
    expect(answered("S1", 0)).toMatch(
      /edited src\/index.js: the edit: lines 5-8, matched ignoring indentation 2 spaces deeper in the file, trailing whitespace/,
    );
    expect(await show("src/index.js", doc.steps[0]?.commits[0])).toBe(
      INDEX_BLOCK.replace(
        '    slugify: "slugify",\n  };\n  return all;',
        '    slugify: "slugify",\n    truncate: "truncate",\n  };\n  return all;',
      ),
    );
  });

  it("a changed word matches nowhere: the answer shows the closest lines and what differs", async () => {
    const { answered, show, doc } = await runWith(
      { "src/index.js": INDEX_BLOCK },
      await cassetteWith(
        s1({
          name: "edit_file",
          input: {
            path: "src/index.js",
            search: "/** Every helper by its name. */\nexport function helpers() {",
            replace: "/** Every helper. */\nexport function helpers() {",
          },
        }),
      ),
    );
    const answer = answered("S1", 0);
    expect(answer).toContain("the search text is not in src/index.js");
    expect(answer).toContain("The closest is lines 3-4");
    expect(answer).toContain(
      "-   | /** Every helper by its name. */\\n+ 3 | /** Every helper by name. */\\n  4 | export function helpers() {",
    );
    expect(await show("src/index.js", doc.steps[0]?.commits[0])).toBe(INDEX_BLOCK);
  });

  it("a search found in two places is refused with both places' lines", async () => {
    const { answered } = await runWith(
      { "src/index.js": INDEX_BLOCK },
      await cassetteWith(
        s1({
          name: "edit_file",
          input: {
            path: "src/index.js",
            search: '    slugify: "slugify",\n  };',
            replace: '    slugify: "slugify",\n    truncate: "truncate",\n  };',
          },
        }),
      ),
    );
    expect(answered("S1", 0)).toContain(
      "the search text is in src/index.js 2 times, starting at lines 6, 14",
    );
  });

  it("an edit made again says it is there already, and is not made twice", async () => {
    const twice = {
      name: "edit_file",
      input: {
        path: "src/index.js",
        search: 'export { slugify } from "./slugify.js";',
        replace:
          'export { slugify } from "./slugify.js";\nexport { truncate } from "./truncate.js";',
      },
    };
    const { answered, show, doc } = await runWith(
      {},
      await cassetteWith(
        s1(twice),
        { role: "implementer", step: "S1", turn: 1, tool_calls: [twice] },
        finish(2),
      ),
    );
    expect(answered("S1", 1)).toContain(
      "nothing changed in src/index.js: the edit: the replacement is already there (lines 1-2); nothing to do.",
    );
    expect(answered("S1", 1)).toContain('"isError":false');
    expect(await show("src/index.js", doc.steps[0]?.commits[0])).toBe(
      'export { slugify } from "./slugify.js";\nexport { truncate } from "./truncate.js";\n',
    );
  });
});

describe("several edits in one call, create-only writes, and what the run log keeps", () => {
  const good = { search: "/** Every helper by name. */", replace: "/** Every helper, by name. */" };
  const bad = { search: "/** No such line. */", replace: "/** x */" };
  const fixed = {
    search: "/** The helpers that change text. */",
    replace: "/** The helpers that rewrite text. */",
  };

  it("a call's edits land all or none", async () => {
    const { answered, show, doc } = await runWith(
      { "src/index.js": INDEX_BLOCK },
      await cassetteWith(
        s1({ name: "edit_file", input: { path: "src/index.js", edits: [good, bad] } }),
        {
          role: "implementer",
          step: "S1",
          turn: 1,
          tool_calls: [
            { name: "read_file", input: { path: "src/index.js" } },
            { name: "edit_file", input: { path: "src/index.js", edits: [good, fixed] } },
          ],
        },
        finish(2),
      ),
    );
    expect(answered("S1", 0)).toMatch(/edit 2 of 2: the search text is not in src\/index.js/);
    expect(answered("S1", 0)).toContain("No edit of this call was applied");
    // The file the model read after the refused call was untouched by its first edit.
    expect(answered("S1", 1)).toContain("/** Every helper by name. */");
    expect(answered("S1", 1)).toContain("edited src/index.js: edit 1: line 3; edit 2: line 11.");
    expect(await show("src/index.js", doc.steps[0]?.commits[0])).toBe(
      INDEX_BLOCK.replace(good.search, good.replace).replace(fixed.search, fixed.replace),
    );
  });

  it("create_file refuses to overwrite a file", async () => {
    const { answered, show, doc } = await runWith(
      {},
      await cassetteWith(
        s1({ name: "create_file", input: { path: "src/index.js", content: "export {};\n" } }),
      ),
    );
    expect(answered("S1", 0)).toContain(
      "src/index.js exists already; change it with edit_file, or replace it with write_file",
    );
    expect(await show("src/index.js", doc.steps[0]?.commits[0])).toBe(
      'export { slugify } from "./slugify.js";\n',
    );
  });

  it("refused calls are in the state and the run log, and a fix that changed nothing names the fixer and why", async () => {
    const { doc, h } = await runWith(
      {},
      await cassetteWith({
        role: "fixer",
        step: "F1",
        tool_calls: [
          { name: "read_file", input: { path: "src/truncate.js" } },
          {
            name: "edit_file",
            input: {
              path: "src/truncate.js",
              search: 'return text.substring(0, max) + "…";',
              replace: 'return text.slice(0, max - 1) + "…";',
            },
          },
        ],
      }),
    );
    expect(doc.escalation?.reason).toBe("no_changes");
    expect(doc.escalation?.message).toBe(
      "The fixer finished without changing any file. The tools refused 1 of its calls (each is in the run log); the last: edit_file src/truncate.js refused: search text not found (closest: line 5)",
    );
    const entry = doc.history.find(
      (e) => e.message === "fixer F1 attempt 1: 3 tool calls, 1 refused",
    );
    expect(entry).toMatchObject({
      category: "llm_call",
      level: "warning",
      details: [
        "ok: read_file src/truncate.js: read lines 1-6 of 6",
        "refused: edit_file src/truncate.js refused: search text not found (closest: line 5)",
        "ok: finish: finished",
      ],
    });
    const runLog = await readFile(join(h.repo, ".orchestrator", "runs", `${doc.id}.md`), "utf8");
    expect(runLog).toContain("**llm_call**: fixer F1 attempt 1: 3 tool calls, 1 refused");
    expect(runLog).toContain(
      "  - refused: edit_file src/truncate.js refused: search text not found (closest: line 5)",
    );
    // The implementer's calls that went well are there too.
    expect(
      doc.history.find((e) => e.message === "implementer S1 attempt 1: 3 tool calls")?.details,
    ).toEqual([
      "ok: write_file src/truncate.js: created",
      "ok: edit_file src/index.js: 1 edit",
      "ok: finish: finished",
    ]);
  });
});
