import { execFile } from "node:child_process";
import { stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { Git } from "../../src/adapters/git/git.ts";
import { userEnvironment } from "../../src/adapters/local/user-environment.ts";
import { createSampleRepo, DEMO_DIR } from "../../src/cli/sample-repo.ts";
import { cliEnvironment, runCli } from "../fakes/cli-env.ts";

const exec = promisify(execFile);

const cli = async (args: string[]): Promise<number> => (await runCli(args)).code;

/** A sample repository after one task ran on it through the real CLI. */
async function afterRun(): Promise<string> {
  const repo = await createSampleRepo("user-checkout-");
  const cassette = join(DEMO_DIR, "cassette.yaml");
  expect(
    await cli([
      "run",
      "--working-dir",
      repo,
      "--tasks",
      join(DEMO_DIR, "tasks.yaml"),
      "--provider",
      "replay",
      "--cassette",
      cassette,
    ]),
  ).toBe(0);
  return repo;
}

async function workTrees(repo: string): Promise<string[]> {
  const out = await new Git({ cwd: repo }).output(["worktree", "list", "--porcelain"]);
  return out
    .split("\n")
    .filter((line) => line.startsWith("worktree "))
    .map((line) => line.slice("worktree ".length))
    .filter((path) => path !== repo);
}

/**
 * The tests the user's own `node --test` runs in a checkout (their `node`: Node 20 here, which
 * collects test files in every folder but `node_modules`, hidden ones included).
 */
async function ownTests(repo: string): Promise<string[]> {
  const { stdout } = await exec("node", ["--test", "--test-reporter=tap"], {
    cwd: repo,
    env: { ...cliEnvironment(), PATH: userEnvironment(process.env)["PATH"] ?? "" },
  });
  const names = stdout.split("\n").filter((line) => /^ok \d+ - /.test(line));
  expect(names.length).toBeGreaterThan(0);
  return names;
}

describe("the user's checkout after a run", () => {
  it("holds no work tree: the user's own `node --test` runs only the user's tests", async () => {
    const repo = await afterRun();
    const trees = await workTrees(repo);
    expect(trees).toHaveLength(1);
    for (const tree of trees) expect(relative(repo, tree).startsWith("..")).toBe(true);
    expect(trees[0]).toContain(
      join(process.env["XDG_CACHE_HOME"] ?? "", "orchestrator", "worktrees"),
    );

    // The task's branch has truncate() and its tests; the user's checkout (main) has neither.
    expect(await ownTests(repo)).toEqual(await ownTests(await createSampleRepo("user-checkout-")));

    expect(await cli(["clean-state", "--working-dir", repo, "--force"])).toBe(0);
    expect(await workTrees(repo)).toEqual([]);
    await expect(stat(trees[0] ?? "")).rejects.toThrow(/ENOENT/);
  });

  it("shows nothing in `git status`: what we write is hidden, the dashboard and knowledge.md too", async () => {
    const repo = await afterRun();
    const written = await new Git({ cwd: repo }).output([
      "ls-files",
      "--others",
      "--",
      ".orchestrator",
    ]);
    expect(written).toContain(".orchestrator/DASHBOARD.md");
    expect(written).toContain(".orchestrator/knowledge.md");
    const status = await new Git({ cwd: repo }).output([
      "status",
      "--porcelain",
      "--untracked-files=all",
    ]);
    expect(status).toBe("");
  });
});
