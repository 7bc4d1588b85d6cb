import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyEdit } from "../../src/core/edit/apply-edit.ts";
import { describeEdits } from "../../src/core/edit/describe.ts";
import { editText, rewriteFile } from "../../src/core/edit/edit-text.ts";
import { parseText, serializeText, viewText } from "../../src/core/edit/text-file.ts";

const edit = (raw: string, search: string, replace: string) => editText(raw, [{ search, replace }]);

function text(raw: string, search: string, replace: string): string {
  const outcome = edit(raw, search, replace);
  if (outcome.kind !== "done") throw new Error(`refused: ${JSON.stringify(outcome.result)}`);
  return outcome.text;
}

describe("a file's lines and line endings", () => {
  it.each([
    ["LF", "a\nb\n"],
    ["CRLF", "a\r\nb\r\n"],
    ["CR", "a\rb\r"],
    ["mixed", "a\r\nb\nc\rd"],
    ["BOM", "\uFEFFa\r\n"],
    ["no final newline", "a\nb"],
    ["empty", ""],
    ["blank lines", "\n\r\n\n"],
  ])("%s comes back byte for byte", (_, raw) => {
    expect(serializeText(parseText(raw))).toBe(raw);
  });

  it("is shown with \\n endings and without its byte order mark or invisible characters", () => {
    expect(viewText(parseText("\uFEFFa\u200B\r\nb\rc"))).toBe("a\nb\nc");
  });
});

describe("CRLF files", () => {
  const crlf = "one\r\ntwo\r\nthree\r\nfour\r\n";

  it("a multi-line search in the form read_file shows matches, and new lines get CRLF", () => {
    expect(text(crlf, "two\nthree\n", "2\nthree\nthree and a half\n")).toBe(
      "one\r\n2\r\nthree\r\nthree and a half\r\nfour\r\n",
    );
  });

  it("a one-line edit keeps the file's CRLF", () => {
    expect(text(crlf, "three", "3")).toBe("one\r\ntwo\r\n3\r\nfour\r\n");
  });

  it("a search sent with CRLF matches too", () => {
    expect(text(crlf, "two\r\nthree", "2\r\n3")).toBe("one\r\n2\r\n3\r\nfour\r\n");
  });

  it("keeps a byte order mark and a missing final newline", () => {
    expect(text("\uFEFFa\r\nb\r\nc", "b\nc", "B\nC\nD")).toBe("\uFEFFa\r\nB\r\nC\r\nD");
  });

  it("in a mixed file, lines the edit did not change keep their own endings and invisible characters", () => {
    const raw = "a\nb\u200B\r\nc\nd\n";
    expect(text(raw, "a\nb\nc", "a\nb\nC")).toBe("a\nb\u200B\r\nC\nd\n");
  });

  it("a search ending with a newline matches the last line of a file without one", () => {
    expect(text("a\r\nb", "b\n", "c\n")).toBe("a\r\nc");
  });
});

describe("exact matches", () => {
  it("match inside a line", () => {
    expect(text("const x = f(1, 2);\n", "f(1, 2)", "g(1)")).toBe("const x = g(1);\n");
  });

  it("more than one: every place is listed by line", () => {
    const outcome = edit("x\ny\nx\nz\nx\n", "x", "w");
    expect(outcome).toMatchObject({
      kind: "refused",
      result: { kind: "ambiguous", lines: [1, 3, 5], tolerant: false },
    });
    expect(describeEdits("f.js", outcome, 1).message).toMatch(/3 times, starting at lines 1, 3, 5/);
  });

  it("are preferred to a tolerant match elsewhere", () => {
    expect(text("  a  b\na b\n", "a b", "c")).toBe("  a  b\nc\n");
  });
});

describe("drift", () => {
  const file = "function f() {\n  if (x) {\n    return 1;   \n  }\n}\n";

  it("trailing whitespace is ignored, and the file's own unchanged lines are kept", () => {
    const outcome = edit(file, "  if (x) {\n    return 1;\n  }", "  if (x) {\n    return 2;\n  }");
    expect(outcome).toMatchObject({
      kind: "done",
      edits: [{ kind: "applied", tolerated: ["trailing whitespace"] }],
    });
    expect(outcome.kind === "done" && outcome.text).toBe(
      "function f() {\n  if (x) {\n    return 2;\n  }\n}\n",
    );
  });

  it("runs of spaces inside a line are ignored", () => {
    expect(
      text("let a  =   1;\nlet b = 2;\n", "let a = 1;\nlet b = 2;", "let a = 1;\nlet b = 3;"),
    ).toBe("let a  =   1;\nlet b = 3;\n");
  });

  it("a uniform indentation shift moves the replacement by the same shift", () => {
    // The model copied the block without its indentation and wrote its change the same way.
    const outcome = edit(file, "if (x) {\n  return 1;\n}", "if (x) {\n  log(x);\n  return 1;\n}");
    expect(outcome.kind === "done" && outcome.text).toBe(
      "function f() {\n  if (x) {\n    log(x);\n    return 1;   \n  }\n}\n",
    );
    expect(describeEdits("f.js", outcome, 1).message).toMatch(
      /lines 2-5, matched ignoring indentation 2 spaces deeper in the file/,
    );
  });

  it("a search indented deeper than the file is shifted back, tabs too", () => {
    expect(
      text(
        "\tif (x) {\n\t\ty();\n\t}\n",
        "\t\tif (x) {\n\t\t\ty();\n\t\t}",
        "\t\tif (x) {\n\t\t\tz();\n\t\t}",
      ),
    ).toBe("\tif (x) {\n\t\tz();\n\t}\n");
  });

  it("lines of spaces in the replacement move with the shift, empty lines stay empty", () => {
    expect(text("    a\n    b\n", "a\nb", "a\n  \n\nb")).toBe("    a\n      \n\n    b\n");
    expect(text("a\nb\n", "    a\n    b", "    a\n      \n\n    b")).toBe("a\n  \n\nb\n");
  });

  it("an indentation that does not shift uniformly is no match", () => {
    expect(edit(file, "if (x) {\n    return 1;\n}", "nope")).toMatchObject({
      kind: "refused",
      result: { kind: "not_found" },
    });
  });

  it("a replacement that cannot shift back is refused, not mangled", () => {
    expect(edit("a\nb\n", "    a\n    b", "    a\nb2")).toMatchObject({
      kind: "refused",
      result: { kind: "cannot_reindent" },
    });
  });

  it("a tolerant match found twice is refused with both places", () => {
    const outcome = edit("  a = 1\nb\n  a = 1\n", "a  = 1", "c");
    expect(outcome).toMatchObject({
      kind: "refused",
      result: { kind: "ambiguous", lines: [1, 3], tolerant: true },
    });
  });

  it("a changed word is never matched: the closest lines and what differs are shown", () => {
    const outcome = edit(file, "  if (y) {\n    return 1;\n  }", "x");
    expect(outcome).toMatchObject({
      kind: "refused",
      result: { kind: "not_found", closest: { start: 1, end: 4 } },
    });
    const message = describeEdits("f.js", outcome, 1).message;
    expect(message).toContain("The closest is lines 2-4");
    expect(message).toContain("-   |   if (y) {\n+ 2 |   if (x) {");
    expect(message).toContain("  3 |     return 1;   ");
  });

  it("a search of blank lines is never matched tolerantly", () => {
    expect(edit("a\n\n  \nb\n", " \n\t", "x")).toMatchObject({ kind: "refused" });
  });
});

describe("edits made already", () => {
  it("a replacement already there, with its search gone, is reported and not an error", () => {
    const outcome = edit("a\nconst answer = 42;\nc\n", "const answer = 41;", "const answer = 42;");
    expect(outcome).toMatchObject({
      kind: "done",
      changed: false,
      edits: [{ kind: "already", lines: { from: 2, to: 2 } }],
    });
    const report = describeEdits("f.js", outcome, 1);
    expect(report.isError).toBe(false);
    expect(report.message).toMatch(/already there \(line 2\)/);
  });

  it("a short replacement or a piece of a line is not taken for one made already", () => {
    expect(edit("if (x) {\n  return 1;\n}\n", "if (y)", "x")).toMatchObject({ kind: "refused" });
    expect(
      edit("const answer = 42; // the answer\n", "const answer = 41;", "const answer = 42;"),
    ).toMatchObject({ kind: "refused", result: { kind: "not_found" } });
  });

  it("a replacement that contains its search is not made twice", () => {
    const raw = 'export { a } from "./a.js";\nexport { b } from "./b.js";\n';
    expect(
      edit(
        raw,
        'export { a } from "./a.js";',
        'export { a } from "./a.js";\nexport { b } from "./b.js";',
      ),
    ).toMatchObject({ kind: "done", changed: false, edits: [{ kind: "already" }] });
  });
});

describe("several edits in one call", () => {
  it("apply in order, each on the previous one's result", () => {
    const outcome = editText("a\nb\nc\n", [
      { search: "a", replace: "A" },
      { search: "A\nb", replace: "A\nB" },
    ]);
    expect(outcome).toMatchObject({ kind: "done", text: "A\nB\nc\n" });
  });

  it("all or nothing: the failing edit is named and nothing is applied", () => {
    const outcome = editText("a\nb\nc\n", [
      { search: "a", replace: "A" },
      { search: "zzz", replace: "Z" },
    ]);
    expect(outcome).toMatchObject({ kind: "refused", index: 1 });
    expect(describeEdits("f.js", outcome, 2)).toMatchObject({
      isError: true,
      summary: "edit 2 of 2: search text not found, nothing like it",
      message: expect.stringMatching(/^edit 2 of 2: .*No edit of this call was applied/s),
    });
  });
});

describe("rewriting a whole file", () => {
  it("keeps CRLF, the byte order mark, the final newline state and unchanged lines' bytes", () => {
    expect(rewriteFile("\uFEFFa\u200B\r\nb\r\nc", "a\nB\nc\nd\n")).toBe(
      "\uFEFFa\u200B\r\nB\r\nc\r\nd",
    );
  });

  it("the same content as shown leaves the bytes alone", () => {
    expect(rewriteFile("a\r\nb\r\n", "a\nb\n")).toBe("a\r\nb\r\n");
  });
});

describe("bytes outside an edit", () => {
  const eol = fc.constantFrom("\n", "\r\n", "\r");
  const body = fc.array(fc.constantFrom("x", " ", "\t", "é", "\u200B", "{"), { maxLength: 6 });

  it("lines before and after the edited region are kept byte for byte; the file keeps its BOM and final newline", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(body, eol), { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        fc.boolean(),
        fc.nat(),
        fc.nat(),
        fc.array(
          fc.string({ maxLength: 5 }).map((s) => s.replace(/[\r\n]/g, "")),
          { minLength: 1, maxLength: 4 },
        ),
        (parts, bom, final, a, b, replacement) => {
          // Each line is unique (it carries its number), so the search matches once.
          const lines = parts.map(([chars, end], i) => ({
            text: `L${i}:${chars.join("")}`,
            eol: end,
          }));
          const raw =
            (bom ? "\uFEFF" : "") +
            lines.map((l, i) => l.text + (i === lines.length - 1 && !final ? "" : l.eol)).join("");
          const from = a % lines.length;
          const to = from + (b % (lines.length - from));
          const view = parseText(raw).lines.map((l) => l.text.replace(/\u200B/g, ""));
          const search = view.slice(from, to + 1).join("\n");
          const outcome = edit(raw, search, replacement.map((r) => `R:${r}`).join("\n"));
          if (outcome.kind !== "done") throw new Error(JSON.stringify(outcome));
          const written = outcome.text;
          const before = raw.slice(0, raw.indexOf(`L${from}:`));
          expect(written.startsWith(before)).toBe(true);
          const next = raw.indexOf(`L${to + 1}:`);
          if (next >= 0) expect(written.endsWith(raw.slice(next))).toBe(true);
          expect(written.startsWith("\uFEFF")).toBe(bom);
          const ends = /[\r\n]$/.test(written);
          if (written.replace("\uFEFF", "") !== "") expect(ends).toBe(final);
        },
      ),
    );
  });
});

it("applyEdit refuses a search made only of invisible characters", () => {
  expect(applyEdit(parseText("a\n"), { search: "\u200B", replace: "x" })).toEqual({
    kind: "empty",
  });
});
