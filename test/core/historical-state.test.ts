import { readdir, readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { SCHEMA_VERSION, TaskDocument, TaskState } from "../../src/core/task/document.ts";

const DIR = new URL("../fixtures/state/historical/", import.meta.url);

describe("historical task documents", () => {
  it("every stored document of every released version still loads, upgraded to the current one", async () => {
    const files = (await readdir(DIR)).filter((f) => f.endsWith(".json"));
    expect(files.some((f) => f.startsWith("v1-"))).toBe(true);
    for (const file of files) {
      const raw = JSON.parse(await readFile(new URL(file, DIR), "utf8")) as {
        schemaVersion: number;
        state: string;
      };
      expect(raw.schemaVersion, file).toBeLessThanOrEqual(SCHEMA_VERSION);
      const doc = TaskDocument.parse(raw);
      expect(doc.schemaVersion, file).toBe(SCHEMA_VERSION);
      expect(doc.state, file).toBe(raw.state);
    }
  });

  it("the current version has a document in every state", async () => {
    const files = (await readdir(DIR)).filter((f) => f.startsWith(`v${SCHEMA_VERSION}-`));
    const states = new Set<string>();
    for (const file of files)
      states.add(
        (JSON.parse(await readFile(new URL(file, DIR), "utf8")) as { state: string }).state,
      );
    expect([...states].sort()).toEqual([...TaskState.options].sort());
  });
});
