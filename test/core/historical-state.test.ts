import { readdir, readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { SCHEMA_VERSION, TaskDocument } from "../../src/core/task/document.ts";

const DIR = new URL("../fixtures/state/historical/", import.meta.url);

describe("historical task documents", () => {
  it("every stored document of every released version still loads", async () => {
    const files = (await readdir(DIR)).filter((f) => f.endsWith(".json"));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const raw = JSON.parse(await readFile(new URL(file, DIR), "utf8")) as {
        schemaVersion: number;
      };
      expect(raw.schemaVersion, file).toBeLessThanOrEqual(SCHEMA_VERSION);
      expect(() => TaskDocument.parse(raw), file).not.toThrow();
    }
  });
});
