import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { entryKey, parseCassette } from "../../src/providers/replay/cassette.ts";

const README = new URL("../../README.md", import.meta.url);

/** The YAML example under the README's "Cassettes" heading. */
async function readmeCassette(): Promise<string> {
  const text = await readFile(README, "utf8");
  const section = text.split(/^### Cassettes/m)[1] ?? "";
  const block = /```yaml\n([\s\S]*?)\n```/.exec(section);
  if (!block?.[1]) throw new Error("the README has no cassette example");
  return block[1];
}

describe("the README's cassette format", () => {
  it("its example is a cassette the replay provider reads, keyed as the README says", async () => {
    const cassette = parseCassette(await readmeCassette(), "README.md");
    expect(cassette.calls.map(entryKey)).toEqual([
      "planner|-|1|0",
      "implementer|S1|1|0",
      "implementer|S1|1|1",
    ]);
  });

  it("names every kind of injected error and stop the schema accepts", async () => {
    const section = (await readFile(README, "utf8")).split(/^### Cassettes/m)[1] ?? "";
    const kinds = /kind: z\.enum\(\[([^\]]*)\]/.exec(
      await readFile(new URL("../../src/providers/replay/cassette.ts", import.meta.url), "utf8"),
    );
    for (const kind of (kinds?.[1] ?? "").match(/"[a-z_]+"/g) ?? [])
      expect(section).toContain(`\`${kind.slice(1, -1)}\``);
  });
});
