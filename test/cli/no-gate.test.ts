import { readdir, readFile, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FileStateStore } from "../../src/adapters/local/file-state-store.ts";
import { createSampleRepo, DEMO_DIR } from "../../src/cli/sample-repo.ts";
import { runCli } from "../fakes/cli-env.ts";

async function run(repo: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const args = ["run", "--working-dir", repo, "--tasks", join(DEMO_DIR, "tasks.yaml")];
  args.push("--provider", "replay", "--cassette", join(DEMO_DIR, "cassette.yaml"));
  return runCli(args);
}

/** Every text file the run wrote under `.orchestrator/` (state, logs, comments, pull request). */
async function written(repo: string): Promise<Map<string, string>> {
  const root = join(repo, ".orchestrator");
  const files = new Map<string, string>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true }))
    if (entry.isFile() && /\.(md|json|jsonl)$/.test(entry.name)) {
      const path = join(entry.parentPath, entry.name);
      files.set(path.slice(root.length + 1), await readFile(path, "utf8"));
    }
  return files;
}

describe("gate.commands: []", () => {
  it("is refused with one error naming the field and the way to allow it; nothing starts", async () => {
    const repo = await createSampleRepo("no-gate-");
    await writeFile(join(repo, ".orchestrator", "config.yaml"), "gate:\n  commands: []\n");
    const refused = await run(repo);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/gate\.commands: no gate command/);
    expect(refused.stderr).toContain("gate.allow_none: true");
    expect([...(await written(repo)).keys()].filter((f) => f.startsWith("state/"))).toEqual([]);
  });

  it("allowed, every report says no gate is configured, none says it passed", async () => {
    const repo = await createSampleRepo("no-gate-");
    await writeFile(
      join(repo, ".orchestrator", "config.yaml"),
      "gate:\n  commands: []\n  allow_none: true\n",
    );
    const done = await run(repo);
    expect(done.code).toBe(0);
    const files = await written(repo);
    const reports = [...files].filter(([path]) => path.endsWith(".md"));
    expect(reports.map(([path]) => path)).toEqual(
      expect.arrayContaining(["ORCHESTRATOR_RUN_LOG.md", "comments/TEXT-001/STATUS.md"]),
    );
    for (const [path, text] of files)
      expect({ path, passed: /gate (passed|green)|passed after/i.test(text) }).toEqual({
        path,
        passed: false,
      });
    expect(files.get("ORCHESTRATOR_RUN_LOG.md")).toContain("No quality gate configured");
    expect(files.get("comments/TEXT-001/STATUS.md")).toContain("no quality gate configured");
    const pull = [...files].find(([path]) => /pull/i.test(path));
    expect(pull?.[1]).toContain("no gate configured");
  });
});

describe("a red gate on the CLI", () => {
  it("escalates saying how to look in this repository; a failed run after it still reports the spend", async () => {
    const repo = await createSampleRepo("red-gate-");
    await writeFile(
      join(repo, ".orchestrator", "config.yaml"),
      "gate:\n  commands:\n    - name: test\n      run: echo 'not ok 1 - truncate'; exit 1\n",
    );
    const stopped = await run(repo);
    expect(stopped.code).toBe(3);
    expect(stopped.stdout).toContain("needs a human: gate_same_failure");
    const escalation = [...(await written(repo))].find(([path]) => path.endsWith("escalation.md"));
    expect(escalation?.[1]).toMatch(/To see it yourself: `git checkout [0-9a-f]{12}`/);
    expect(escalation?.[1]).toContain("What the gate said:");
    expect(escalation?.[1]).not.toMatch(/git fetch|origin|CI said/);

    // Another live process (this test's) holds the task now: this run of it cannot go on.
    const store = new FileStateStore({ directory: join(repo, ".orchestrator") });
    const stored = await store.load("TEXT-001");
    if (!stored) throw new Error("no task");
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const held = { ...stored.document, lease: { owner: `${hostname()}:${process.pid}`, until } };
    await store.save({ document: held, expectedVersion: stored.version, runLog: "" });
    const failed = await run(repo);
    expect(failed.code).toBe(1);
    const line = failed.stdout.split("\n").find((l) => l.startsWith("TEXT-001: error")) ?? "";
    expect(line).toContain(`on ${stored.document.branch}`);
    expect(line).toMatch(/\(\$0\.[0-9]{4}\)/);
    expect(line).not.toContain("$0.0000");
  });
});
