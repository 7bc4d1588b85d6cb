import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Git } from "../../src/adapters/git/git.ts";
import { createSampleRepo, DEMO_DIR } from "../../src/cli/sample-repo.ts";
import { runCli } from "../fakes/cli-env.ts";

const CASSETTE = join(DEMO_DIR, "cassette.yaml");

const cli = (args: string[]) => runCli(args);

interface Report {
  tasks: { id: string; state: string; branch: string; costUsd: number }[];
}

describe("clean-state, then the same task again", () => {
  it("runs afresh: the new cassette's code is on the branch and the old calls are not recorded again", async () => {
    const repo = await createSampleRepo("start-over-");
    await writeFile(join(repo, "tasks.yaml"), await readFile(join(DEMO_DIR, "tasks.yaml"), "utf8"));
    const run = (cassette: string) =>
      cli(["run", "--working-dir", repo, "--provider", "replay", "--cassette", cassette, "--json"]);

    const first = await run(CASSETTE);
    expect(first.code).toBe(0);
    const { branch } = (JSON.parse(first.stdout) as Report).tasks[0] ?? { branch: "" };
    expect((await cli(["clean-state", "--working-dir", repo, "--force"])).code).toBe(0);

    // The same task, answered differently: S1 writes another truncate.js.
    const cassette = join(repo, "..", `${repo.split("/").pop() ?? "x"}-again.yaml`);
    const original = await readFile(CASSETTE, "utf8");
    const changed = original.replace(
      'return text.slice(0, max) + "…";\n',
      "return `${text.slice(0, max - 1)}…`; // second run\n",
    );
    expect(changed).not.toBe(original);
    await writeFile(cassette, changed);
    const second = await run(cassette);
    expect(second.code).toBe(0);
    // A branch of its own, from the base commit; the first run's branch is kept as it was.
    expect((JSON.parse(second.stdout) as Report).tasks[0]).toMatchObject({
      state: "done",
      branch: `${branch}-2`,
    });
    const git = new Git({ cwd: repo });
    expect(await git.output(["show", `${branch}-2:src/truncate.js`])).toContain("// second run");
    expect(await git.output(["show", `${branch}:src/truncate.js`])).not.toContain("second run");
    const keys = (
      await git.output([
        "log",
        "--format=%(trailers:key=Orchestrator-Key,valueonly)",
        `main..${branch}-2`,
      ])
    )
      .split("\n")
      .filter((line) => line !== "");
    const before = (
      await git.output([
        "log",
        "--format=%(trailers:key=Orchestrator-Key,valueonly)",
        `main..${branch}`,
      ])
    )
      .split("\n")
      .filter((line) => line !== "");
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((key) => before.includes(key))).toEqual([]);
    // Every paid call is recorded once: the first run's calls are not brought back by the
    // second run finding the first run's commits.
    const folder = join(repo, ".orchestrator", "records");
    const files = await readdir(folder);
    const records = (
      await Promise.all(files.map((file) => readFile(join(folder, file), "utf8")))
    ).join("");
    const recorded = records
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { kind: string; key?: string })
      .filter((line) => line.kind === "call")
      .map((line) => line.key);
    expect(recorded.length).toBeGreaterThan(0);
    expect(new Set(recorded).size).toBe(recorded.length);
  });
});
