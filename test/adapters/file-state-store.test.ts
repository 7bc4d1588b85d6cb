import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FileStateStore } from "../../src/adapters/local/file-state-store.ts";
import { CorruptStateError, StateConflictError } from "../../src/core/errors.ts";
import { newDoc } from "../fakes/machine.ts";

async function store(): Promise<FileStateStore> {
  return new FileStateStore({ directory: await mkdtemp(join(tmpdir(), "store-")) });
}

describe("FileStateStore", () => {
  it("saves with compare-and-swap and writes the run log beside the document", async () => {
    const s = await store();
    const v1 = await s.save({ document: newDoc(), expectedVersion: null, runLog: "log 1" });
    await expect(
      s.save({ document: newDoc(), expectedVersion: null, runLog: "x" }),
    ).rejects.toBeInstanceOf(StateConflictError);
    const v2 = await s.save({
      document: { ...newDoc(), state: "planning" },
      expectedVersion: v1,
      runLog: "log 2",
    });
    await expect(
      s.save({ document: newDoc(), expectedVersion: v1, runLog: "x" }),
    ).rejects.toBeInstanceOf(StateConflictError);
    expect(await s.load("T1")).toMatchObject({ version: v2, document: { state: "planning" } });
    expect(await s.list()).toEqual(["T1"]);
  });

  it("skips the write when nothing changed", async () => {
    const s = await store();
    const v1 = await s.save({ document: newDoc(), expectedVersion: null, runLog: "" });
    expect(await s.save({ document: newDoc(), expectedVersion: v1, runLog: "" })).toBe(v1);
  });

  it("concurrent saves from one version: exactly one wins", async () => {
    const s = await store();
    const v1 = await s.save({ document: newDoc(), expectedVersion: null, runLog: "" });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        s.save({
          document: { ...newDoc(), updatedAt: String(i) },
          expectedVersion: v1,
          runLog: "",
        }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("refuses a document whose checksum does not match, naming the file and keeping it", async () => {
    const s = await store();
    await s.save({ document: newDoc(), expectedVersion: null, runLog: "" });
    const file = s.fileOf("T1");
    const tampered = (await readFile(file, "utf8")).replace('"state":"queued"', '"state":"done"');
    await writeFile(file, tampered);
    await expect(s.load("T1")).rejects.toThrow(CorruptStateError);
    await expect(s.load("T1")).rejects.toThrow(file);
    expect(await readFile(file, "utf8")).toBe(tampered);
  });

  it("refuses a truncated file", async () => {
    const s = await store();
    await s.save({ document: newDoc(), expectedVersion: null, runLog: "" });
    const text = await readFile(s.fileOf("T1"), "utf8");
    await writeFile(s.fileOf("T1"), text.slice(0, 100));
    await expect(s.load("T1")).rejects.toThrow(/not valid JSON/);
  });

  it("journals calls by key", async () => {
    const s = await store();
    expect(await s.readCall({ task: "T1", key: "k#0" })).toBeNull();
    await s.writeCall({ task: "T1", key: "k#0", value: { a: 1 } });
    expect(await s.readCall({ task: "T1", key: "k#0" })).toEqual({ a: 1 });
  });
});
