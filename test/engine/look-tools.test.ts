import { describe, expect, it } from "vitest";
import { cassetteWith, type Patch } from "../fakes/harness.ts";
import { runWith } from "../fakes/tool-run.ts";

/** Step S1's first turn replaced by `calls`, then the demo's own S1 answer as the next turn. */
function s1(...calls: NonNullable<Patch["tool_calls"]>): Patch[] {
  return [{ role: "implementer", step: "S1", tool_calls: calls }];
}

/** The tool results the model was sent after S1's first turn, one per call. */
async function resultsOf(
  files: Record<string, string>,
  ...calls: NonNullable<Patch["tool_calls"]>
) {
  const { h } = await runWith(files, await cassetteWith(...s1(...calls)));
  const request = h.replay.requests.find(
    (r) => r.tag.role === "implementer" && r.tag.step === "S1" && r.tag.turn === 1,
  );
  const parts = request?.messages.at(-1)?.content ?? [];
  return parts.flatMap((p) =>
    p.type === "tool_result" ? [{ content: p.content, isError: p.isError }] : [],
  );
}

/** A generated module of `n` lines, CRLF-ended, each line numbered in its text. */
function bigModule(n: number): string {
  return Array.from(
    { length: n },
    (_, i) => `export const value${i + 1} = ${i + 1}; // line ${i + 1} of the module`,
  )
    .map((l) => `${l}\r\n`)
    .join("");
}

describe("read_file", () => {
  it("shows numbered lines, reads a large file in windows, and says which lines it showed", async () => {
    const [first, middle, tail, past] = await resultsOf(
      { "src/big.js": bigModule(3_000) },
      { name: "read_file", input: { path: "src/big.js" } },
      { name: "read_file", input: { path: "src/big.js", start_line: 1500, end_line: 1502 } },
      { name: "read_file", input: { path: "src/big.js", start_line: 2999 } },
      { name: "read_file", input: { path: "src/big.js", start_line: 3001 } },
    );
    // 60,000 characters of ~53-character lines: the window ends on a whole line, with no \r.
    expect(first?.content).toMatch(
      /^<data name="file src\/big.js">\n```\n {3}1 \| export const value1 = 1; \/\/ line 1 of the module\n/,
    );
    const shown = /lines 1-(\d+) of 3000; more follows: read on with start_line (\d+)\)$/.exec(
      first?.content ?? "",
    );
    expect(Number(shown?.[2])).toBe(Number(shown?.[1]) + 1);
    expect(first?.content).not.toContain("\r");
    expect(first?.content).toContain(`${shown?.[1]} | export const value${shown?.[1]} =`);
    expect(first?.content).not.toContain(`value${Number(shown?.[1]) + 1} =`);
    expect(middle?.content).toContain(
      "1500 | export const value1500 = 1500; // line 1500 of the module\n1501 | export const value1501 = 1501; // line 1501 of the module\n1502 | export const value1502 = 1502; // line 1502 of the module\n```",
    );
    expect(middle?.content).toMatch(/\(src\/big.js: lines 1500-1502 of 3000\)$/);
    expect(tail?.content).toMatch(
      /2999 \| .*\n3000 \| .*\n```\n<\/data>\n\(src\/big.js: lines 2999-3000 of 3000\)$/,
    );
    expect(past).toEqual({
      content: "src/big.js has 3000 lines; start_line 3001 is past its end",
      isError: true,
    });
  });

  it("the lines it shows are the ones edit_file matches, in a CRLF file too", async () => {
    const { doc, show, answered } = await runWith(
      { "src/big.js": bigModule(10) },
      await cassetteWith(
        {
          role: "implementer",
          step: "S1",
          tool_calls: [
            { name: "read_file", input: { path: "src/big.js", start_line: 4, end_line: 5 } },
          ],
        },
        {
          role: "implementer",
          step: "S1",
          turn: 1,
          tool_calls: [
            {
              name: "edit_file",
              input: {
                path: "src/big.js",
                search:
                  "export const value4 = 4; // line 4 of the module\nexport const value5 = 5; // line 5 of the module\n",
                replace: "export const value4 = 40;\nexport const value5 = 50;\n",
              },
            },
            { name: "write_file", input: { path: "src/truncate.js", content: "export {};\n" } },
            { name: "finish", input: { summary: "done" } },
          ],
        },
      ),
    );
    expect(answered("S1", 0)).toContain(
      "4 | export const value4 = 4; // line 4 of the module\\n5 | export const value5 = 5; // line 5 of the module",
    );
    expect(await show("src/big.js", doc.steps[0]?.commits[0])).toBe(
      bigModule(10).replace(
        "export const value4 = 4; // line 4 of the module\r\nexport const value5 = 5; // line 5 of the module\r\n",
        "export const value4 = 40;\r\nexport const value5 = 50;\r\n",
      ),
    );
  });
});

describe("search", () => {
  const files = {
    "src/format.js":
      'export function pad(text) {\n  return text.padStart(4, " ");\n}\nexport const WIDTH = 4;\n',
    "test/format.test.js": 'import { pad } from "../src/format.js";\nexport function helper() {}\n',
    "docs/notes.md": "export function inDocs() {}\n",
  };

  it("takes a regular expression and a path glob, and answers path:line: text", async () => {
    const [regex, glob, caseless] = await resultsOf(
      files,
      { name: "search", input: { query: "^export (function|const) \\w+", regex: true } },
      {
        name: "search",
        input: { query: "export function \\w+\\(", regex: true, glob: "src/**/*.js" },
      },
      { name: "search", input: { query: "EXPORT CONST", ignore_case: true, glob: "*.js" } },
    );
    expect(regex?.content).toBe(
      '<data name="search results">\n```\ndocs/notes.md:1: export function inDocs() {}\nsrc/format.js:1: export function pad(text) {\nsrc/format.js:4: export const WIDTH = 4;\nsrc/slugify.js:2: export function slugify(text) {\ntest/format.test.js:2: export function helper() {}\n```\n</data>\n(5 matching lines shown)',
    );
    expect(glob?.content).toContain(
      "src/format.js:1: export function pad(text) {\nsrc/slugify.js:2: export function slugify(text) {\n```",
    );
    expect(glob?.content).not.toContain("test/format.test.js");
    expect(caseless?.content).toContain("src/format.js:4: export const WIDTH = 4;\n```");
  });

  it("is linear in the text whatever the pattern, refuses what RE2 cannot do, and is bounded", async () => {
    const many = Array.from({ length: 300 }, (_, i) => `export const item${i} = ${i};`).join("\n");
    const [nested, lookahead, badGlob, bounded] = await resultsOf(
      { "src/a.txt": `${"a".repeat(5_000)}!\n`, "src/many.js": `${many}\n` },
      // A backtracking engine takes 2^5000 steps here; RE2 reads the line once.
      { name: "search", input: { query: "^(a+)+$", regex: true, glob: "*.txt" } },
      { name: "search", input: { query: "slug(?=ify)", regex: true } },
      { name: "search", input: { query: "x", glob: "!src/**" } },
      { name: "search", input: { query: "export const item" } },
    );
    expect(nested?.content).toBe("no matches in 1 file");
    expect(lookahead).toEqual({
      content: expect.stringMatching(/^not an RE2 regular expression: .*\(\?=/),
      isError: true,
    });
    expect(badGlob).toEqual({
      content: "glob !src/**: a negated glob (`!…`) is not supported",
      isError: true,
    });
    expect(bounded?.content).toMatch(
      /src\/many.js:20: export const item19 = 19;\n```\n<\/data>\n\(20 matching lines shown, 280 more left out: narrow the search\)$/,
    );
  });
});

describe("the repository map", () => {
  it("is in the planner's prompt and in the cached part of every implementer prompt, the same in each", async () => {
    const { h, doc } = await runWith(
      {
        "src/shapes.ts":
          "export interface Shape {\n  area(): number;\n}\nexport class Square {}\nexport type Id = string;\nconst hidden = 1;\n",
      },
      await cassetteWith(),
    );
    expect(doc.state).toBe("done");
    const first = (role: string, step: string | null) =>
      h.replay.requests.find((r) => r.tag.role === role && r.tag.step === step && r.tag.turn === 0)
        ?.messages[0]?.content;
    const planner = JSON.stringify(first("planner", null));
    expect(planner).toContain(
      "src/\\n  index.js: slugify\\n  shapes.ts: interface Shape, class Square, type Id, hidden\\n  slugify.js: slugify()\\ntest/\\n  slugify.test.js",
    );
    const s1 = first("implementer", "S1");
    const s2 = first("implementer", "S2");
    const cached = (parts: typeof s1) => (parts?.[0]?.type === "text" ? parts[0].text : "");
    expect(cached(s1)).toContain("Repository map");
    expect(cached(s1)).toContain("  shapes.ts: interface Shape, class Square, type Id, hidden\n");
    // S1 created src/truncate.js; the map is the base commit's, so S2's is S1's.
    const map = (text: string) =>
      text.slice(text.indexOf("Repository map"), text.indexOf("Context files:"));
    expect(map(cached(s2))).toBe(map(cached(s1)));
    expect(map(cached(s2))).not.toContain("truncate.js");
  });
});
