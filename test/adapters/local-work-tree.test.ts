import { mkdtemp, readFile, rename, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Git } from "../../src/adapters/git/git.ts";
import { LocalWorkspace } from "../../src/adapters/local/worktree-workspace.ts";
import { GitWorkTree } from "../../src/adapters/git/work-tree.ts";
import { createSampleRepo } from "../../src/cli/sample-repo.ts";
import { ToolRefusedError } from "../../src/core/errors.ts";

async function tree() {
  const repo = await createSampleRepo("wt-");
  const workspace = new LocalWorkspace({
    repository: repo,
    worktrees: join(repo, ".orchestrator", "worktrees"),
    author: { name: "o", email: "o@x" },
  });
  const base = await workspace.baseCommit();
  const opened = await workspace.open({ task: "T1", branch: "orchestrator/t1-x", base });
  if (!(opened instanceof GitWorkTree)) throw new Error("expected a GitWorkTree");
  return { repo, workspace, base, tree: opened };
}

describe("LocalWorkspace and GitWorkTree", () => {
  it("works on its own branch in a separate work tree; the user's checkout is untouched", async () => {
    const { repo, tree: t } = await tree();
    await t.writeFile("src/new.js", "export const x = 1;\n");
    expect((await t.changes()).map((c) => c.path)).toEqual(["src/new.js"]);
    const sha = await t.commit({
      message: "S1: add x",
      trailers: { "Orchestrator-Task": "T1", "Orchestrator-Key": "T1:implementing:S1:1:implement" },
      at: "2026-01-01T00:00:00Z",
    });
    expect(await t.filesIn(sha)).toEqual(["src/new.js"]);
    expect(await t.findCommit({ key: "T1:implementing:S1:1:implement", since: "main" })).toBe(sha);
    expect(await t.findCommit({ key: "other", since: "main" })).toBeNull();
    const git = new Git({ cwd: repo });
    expect((await git.output(["status", "--porcelain"])).trim()).toBe("");
    expect((await git.output(["rev-parse", "--abbrev-ref", "HEAD"])).trim()).toBe("main");
    expect(
      (
        await git.output([
          "log",
          "-1",
          "--format=%(trailers:key=Orchestrator-Task,valueonly)",
          "orchestrator/t1-x",
        ])
      ).trim(),
    ).toBe("T1");
  });

  it("reopening finds the same branch and commits", async () => {
    const { workspace, base, tree: t } = await tree();
    await t.writeFile("a.txt", "a");
    const sha = await t.commit({ message: "a", trailers: {}, at: "2026-01-01T00:00:00Z" });
    const again = await workspace.open({ task: "T1", branch: "orchestrator/t1-x", base });
    expect(await again.head()).toBe(sha);
  });

  it("a repository deleted and made again at the same path gets fresh work trees, not an error", async () => {
    const outside = await mkdtemp(join(tmpdir(), "wt-home-"));
    const open = async () => {
      const repo = await createSampleRepo("wt-again-");
      const again = join(outside, "repo");
      await rm(again, { recursive: true, force: true });
      await rename(repo, again);
      const workspace = new LocalWorkspace({
        repository: again,
        worktrees: join(outside, "worktrees"),
        author: { name: "o", email: "o@x" },
      });
      return workspace.open({
        task: "T1",
        branch: "orchestrator/t1-x",
        base: await workspace.baseCommit(),
      });
    };
    const first = await open();
    await first.writeFile("left.txt", "from the first repository");
    const second = await open();
    expect(await second.changes()).toEqual([]);
    await rm(outside, { recursive: true, force: true });
  });

  it("refuses paths that leave the tree, including through symbolic links", async () => {
    const { tree: t } = await tree();
    const outside = await mkdtemp(join(tmpdir(), "outside-"));
    await writeFile(join(outside, "secret.txt"), "secret");
    await symlink(outside, join(t.directory, "escape"));
    await expect(t.readFile("escape/secret.txt"), "read through a link").rejects.toBeInstanceOf(
      ToolRefusedError,
    );
    await expect(t.writeFile("escape/new.txt", "x"), "write through a link").rejects.toBeInstanceOf(
      ToolRefusedError,
    );
    await expect(t.writeFile("../x", "x")).rejects.toBeInstanceOf(ToolRefusedError);
    await expect(t.readFile(".git"), ".git").rejects.toBeInstanceOf(ToolRefusedError);
    await symlink(join(outside, "secret.txt"), join(t.directory, "link.txt"));
    await expect(t.writeFile("link.txt", "overwrite")).rejects.toBeInstanceOf(ToolRefusedError);
    expect(await readFile(join(outside, "secret.txt"), "utf8")).toBe("secret");
  });

  it("discards uncommitted changes, new files included", async () => {
    const { tree: t } = await tree();
    await t.writeFile("README.md", "changed");
    await t.writeFile("junk/new.txt", "x");
    await t.discardChanges();
    expect((await t.changes()).map((c) => c.path)).toEqual([]);
    expect(await t.readFile("junk/new.txt")).toBeNull();
  });

  it("lists", async () => {
    const { tree: t } = await tree();
    expect(await t.listFiles({ under: "src" })).toEqual(["src/index.js", "src/slugify.js"]);
  });
});
