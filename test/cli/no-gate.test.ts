import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
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
