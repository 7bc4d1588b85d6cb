import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Git } from "../../src/adapters/git/git.ts";
import type { Cassette } from "../../src/providers/replay/cassette.ts";
import { cassetteWith, demoTask, fastGate, harness, type Patch } from "../fakes/harness.ts";

/**
 * The implementer's edit tools through the tool loop on the demo's repository (real git), with
 * some of its files rewritten first the way other repositories have them.
 */
async function runWith(files: Record<string, string>, cassette: Cassette) {
  const h = await harness(cassette);
  for (const [path, content] of Object.entries(files)) await writeFile(join(h.repo, path), content);
  const git = new Git({ cwd: h.repo });
  await git.run(["add", "-A"]);
  await git.run([
    "-c",
    "user.name=Sample Maintainer",
    "-c",
    "user.email=maintainer@example.com",
    "commit",
    "--quiet",
    "-m",
    "the repository as found",
  ]);
  const host = await h.host({ config: await fastGate(h.repo) });
  const task = await demoTask();
  await host.engine.start(task);
  const doc = await host.engine.run(task.id);
  const show = (path: string, at = doc.branch) => git.output(["show", `${at}:${path}`]);
  /** What the model was answered in the turn after `turn` of `step`'s first attempt. */
  const answered = (step: string, turn: number, role = "implementer") =>
    JSON.stringify(
      h.replay.requests
        .find(
          (r) =>
            r.tag.role === role &&
            r.tag.step === step &&
            r.tag.attempt === 1 &&
            r.tag.turn === turn + 1,
        )
        ?.messages.at(-1),
    );
  return { h, doc, show, answered };
}

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
