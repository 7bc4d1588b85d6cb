import { describe, expect, it } from "vitest";
import { cassetteWith } from "../fakes/harness.ts";
import { runWith } from "../fakes/tool-run.ts";

const TRUNCATE =
  '/** Shortens text to at most `max` characters, ending with "…" when it cuts. */\nexport function truncate(text, max) {\n  if (text.length <= max) return text;\n  return text.slice(0, max) + "…";\n}\n';

const write = (path: string, content: string) => ({
  name: "write_file",
  input: { path, content },
});

describe("cheap checks before a commit", () => {
  it("a change that does not parse goes back to the implementer with each error's place, before any commit or gate run", async () => {
    const { doc, show, answered } = await runWith(
      { "config/app.toml": 'name = "textkit"\n', "test/fixtures/broken.json": "{ nope\n" },
      await cassetteWith(
        {
          role: "implementer",
          step: "S1",
          tool_calls: [
            write(
              "src/truncate.js",
              TRUNCATE.replace(
                "  if (text.length <= max) return text;",
                "  if (text.length <= max return text;",
              ),
            ),
            write("src/settings.json", '{\n  "width": 80,\n}\n'),
            write("config/app.yml", "steps:\n  - name: build\n   run: make\n"),
            write("config/app.toml", 'name = "textkit"\nversion = \n'),
            write("test/fixtures/other.json", "{ also invalid on purpose\n"),
            {
              name: "edit_file",
              input: {
                path: "src/index.js",
                search: 'export { slugify } from "./slugify.js";',
                replace:
                  '<<<<<<< HEAD\nexport { slugify } from "./slugify.js";\n=======\nexport { slugify as slug } from "./slugify.js";\n>>>>>>> theirs\nexport { truncate } from "./truncate.js";',
              },
            },
            { name: "finish", input: { summary: "done" } },
          ],
        },
        {
          role: "implementer",
          step: "S1",
          turn: 1,
          tool_calls: [
            write("src/truncate.js", TRUNCATE),
            write("src/settings.json", '{\n  "width": 80\n}\n'),
            write("config/app.yml", "steps:\n  - name: build\n    run: make\n"),
            write("config/app.toml", 'name = "textkit"\nversion = "1.0.0"\n'),
            write(
              "src/index.js",
              'export { slugify } from "./slugify.js";\nexport { truncate } from "./truncate.js";\n',
            ),
            { name: "finish", input: { summary: "done" } },
          ],
        },
      ),
    );
    const answer = JSON.parse(answered("S1", 0)) as {
      content: { content: string; isError: boolean }[];
    };
    expect(answer.content.at(-1)).toEqual({
      type: "tool_result",
      toolCallId: expect.any(String),
      isError: true,
      content: [
        "The changed files do not pass the checks made before every commit (nothing was committed; fix them and finish again):",
        "- config/app.toml:2:11: not valid TOML: invalid value",
        "- config/app.yml:3:1: not valid YAML: Sequence item without - indicator",
        "- src/index.js:1:1: merge conflict left: a merge-conflict marker (`<<<<<<<`, `=======`, `>>>>>>>`)",
        "- src/index.js:1:2: does not parse: Unexpected token",
        "- src/settings.json:3:1: not valid JSON: Expected double-quoted property name",
        '- src/truncate.js:3:26: does not parse: Unexpected token, expected ")"',
      ].join("\n"),
    });
    const step = doc.steps[0];
    expect(await show("config/app.toml", step?.commits[0])).toBe(
      'name = "textkit"\nversion = "1.0.0"\n',
    );
    // The fixture folder's invalid file is not held against the change.
    expect(await show("test/fixtures/other.json", step?.commits[0])).toBe(
      "{ also invalid on purpose\n",
    );
    const log = doc.history.find((e) => e.message.startsWith("implementer S1 attempt 1:"));
    expect(log?.message).toBe("implementer S1 attempt 1: 13 tool calls, 1 refused");
    expect(log?.details).toContain(
      "refused: finish refused: config/app.toml:2:11: not valid TOML: invalid value",
    );
    expect(doc.state).toBe("done");
  });
});
