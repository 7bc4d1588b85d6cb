// Code that stayed: 30 days after a task's pull request is merged, the sweep counts with git
// blame (through GitHub's GraphQL API) how many of the lines the task added are still there.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Git } from "../../src/adapters/git/git.ts";
import { readRecords } from "../../src/core/learning/records.ts";
import { appHarness, type AppHarness } from "../fakes/app-harness.ts";
import { taskOf } from "../fakes/app-scenario.ts";
import { FIXED_NOW } from "../fakes/harness.ts";

const BRANCH = "orchestrator/issue-42-add-a-truncate-helper";
const DAY = 86_400_000;
const IDENTITY = {
  GIT_AUTHOR_NAME: "Maintainer",
  GIT_AUTHOR_EMAIL: "m@example.com",
  GIT_COMMITTER_NAME: "Maintainer",
  GIT_COMMITTER_EMAIL: "m@example.com",
};

let h: AppHarness | undefined;
const temps: string[] = [];
afterEach(async () => {
  h?.stop();
  h = undefined;
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** Merges the task branch into main with a merge commit, as GitHub's merge button does. */
async function merge(x: AppHarness): Promise<string> {
  const git = new Git({ cwd: tmpdir(), gitDir: x.bare }).with(IDENTITY);
  const sha = (
    await git.output([
      "commit-tree",
      `refs/heads/${BRANCH}^{tree}`,
      "-p",
      "refs/heads/main",
      "-p",
      `refs/heads/${BRANCH}`,
      "-m",
      "Merge pull request",
    ])
  ).trim();
  await git.run(["update-ref", "refs/heads/main", sha]);
  return sha;
}

/** A person changes one line the task wrote, on main, after the merge. */
async function editOnMain(x: AppHarness, path: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "survival-edit-"));
  temps.push(dir);
  await new Git({ cwd: tmpdir(), protocols: ["file"] }).run(["clone", "--quiet", x.bare, dir]);
  const git = new Git({ cwd: dir, protocols: ["file"] }).with(IDENTITY);
  const text = await readFile(join(dir, path), "utf8");
  const lines = text.split("\n");
  const at = lines.findIndex((l) => l.trim().length > 0);
  lines[at] = `${lines[at] ?? ""} // reworded by a person`;
  await writeFile(join(dir, path), lines.join("\n"));
  await git.run(["commit", "--quiet", "-am", "Reword a line"]);
  await git.run(["push", "--quiet", "origin", "HEAD:main"]);
}

/**
 * A task done and its pull request merged (GitHub's merge commit, the webhook) on a world whose
 * clock is `now()`; with how many lines the task added.
 */
async function mergedTask(now: () => number): Promise<{ h: AppHarness; added: number }> {
  const x = await appHarness({ overrides: { clock: { now } } });
  await x.deliver("issues", x.labeled());
  const head = await x.head(BRANCH);
  x.github.completeCheck({ sha: head ?? "", conclusion: "success" });
  await x.deliver("check_suite", x.checkSuite(head ?? "", BRANCH));
  expect(taskOf(x.github)?.state).toBe("done");
  const added = (
    await new Git({ cwd: tmpdir(), gitDir: x.bare }).output([
      "diff",
      "--numstat",
      `refs/heads/main...refs/heads/${BRANCH}`,
    ])
  )
    .trim()
    .split("\n")
    .reduce((n, l) => n + Number(l.split("\t")[0]), 0);
  const sha = await merge(x);
  const pull = x.github.pulls[0]?.number ?? 0;
  x.github.merges.set(pull, sha);
  await x.deliver(
    "pull_request",
    x.pullClosed(pull, BRANCH, { merged: true, merge_commit_sha: sha }),
  );
  return { h: x, added };
}

describe("lines that stay after the merge", () => {
  it("30 days after the merge the sweep counts the task's lines still on main (one reworded since), once, and records it", async () => {
    let now = FIXED_NOW;
    let added: number;
    ({ h, added } = await mergedTask(() => now));
    expect(added).toBeGreaterThan(10);
    expect(h.github.stateFile("later/42")).toBe(new Date(FIXED_NOW + 30 * DAY).toISOString());
    await editOnMain(h, "src/truncate.js");

    // Not yet due: nothing is counted.
    now = FIXED_NOW + 29 * DAY;
    await h.app.sweep();
    expect(taskOf(h.github)?.survival).toBeUndefined();

    now = FIXED_NOW + 31 * DAY;
    await h.app.sweep();
    await h.app.queue.idle();
    const doc = taskOf(h.github);
    expect(doc?.survival).toEqual({
      at: new Date(now).toISOString(),
      lines: added,
      surviving: added - 1,
    });
    expect(h.github.stateFile("later/42")).toBeUndefined();
    const records = readRecords([...h.github.stateFiles("records/").values()]);
    expect(records.tasks[0]?.survival).toEqual({ lines: added, surviving: added - 1 });
    expect(h.github.stateFile("DASHBOARD.md")).toContain("lines kept 30 days");
    expect(h.github.stateFile("runs/42.md")).toContain(
      `${String(added - 1)} of the ${String(added)} lines the task added were still there 30 days after the merge`,
    );

    // Counted once: a later sweep does nothing more.
    const writes = (x: AppHarness) =>
      x.github.requests.filter((r) => r.write && !r.path.endsWith("/access_tokens")).length;
    const before = writes(h);
    now += DAY;
    await h.app.sweep();
    expect(writes(h)).toBe(before);
    expect(h.github.unknown).toEqual([]);
  });

  it("a merged task whose pull request cannot be read is tried again later; the sweep goes on", async () => {
    let now = FIXED_NOW;
    ({ h } = await mergedTask(() => now));
    // GitHub fails to list the pull request's files when its lines are due.
    h.github.pullFilesFailure = 500;
    now = FIXED_NOW + 31 * DAY;
    await expect(h.app.sweep()).resolves.toBe(0);
    expect(taskOf(h.github)?.survival).toBeUndefined();
    expect(h.github.stateFile("later/42")).toBeDefined();
    // GitHub is back: the next pass counts it.
    h.github.pullFilesFailure = null;
    now += DAY;
    await h.app.sweep();
    await h.app.queue.idle();
    expect(taskOf(h.github)?.survival?.lines).toBeGreaterThan(0);
  });
});
