import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Git } from "../../src/adapters/git/git.ts";
import { RemoteWorkspace } from "../../src/adapters/github/repository/remote-workspace.ts";
import { LocalWorkspace } from "../../src/adapters/local/worktree-workspace.ts";
import { createSampleRepo } from "../../src/cli/sample-repo.ts";
import { ToolRefusedError } from "../../src/core/errors.ts";
import type { Workspace } from "../../src/ports/workspace.ts";

/** A workspace, and the branch head people see (the user's repository, or the remote). */
interface Subject {
  readonly workspace: Workspace;
  readonly published: (branch: string) => Promise<string | null>;
}

const subjects: Record<string, () => Promise<Subject>> = {
  "LocalWorkspace (git worktree)": async () => {
    const repo = await createSampleRepo("contract-wt-");
    const git = new Git({ cwd: repo });
    return {
      workspace: new LocalWorkspace({
        repository: repo,
        worktrees: join(repo, ".orchestrator", "worktrees"),
        author: { name: "o", email: "o@x" },
      }),
      published: (branch) =>
        git.output(["rev-parse", "--verify", "--quiet", branch]).then(
          (out) => out.trim(),
          () => null,
        ),
    };
  },
  "RemoteWorkspace (clone and push)": async () => {
    const sample = await createSampleRepo("contract-remote-");
    const bare = join(await mkdtemp(join(tmpdir(), "contract-bare-")), "r.git");
    await new Git({ cwd: tmpdir(), protocols: ["file"] }).run([
      "clone",
      "--quiet",
      "--bare",
      sample,
      bare,
    ]);
    const git = new Git({ cwd: tmpdir(), gitDir: bare });
    return {
      workspace: new RemoteWorkspace({
        cloneUrl: bare,
        defaultBranch: "main",
        token: () => Promise.resolve("ghs_test"),
        directory: await mkdtemp(join(tmpdir(), "contract-clones-")),
        author: { name: "o", email: "o@x" },
      }),
      published: (branch) =>
        git.output(["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`]).then(
          (out) => out.trim(),
          () => null,
        ),
    };
  },
};

const BRANCH = "orchestrator/t1-contract";

describe.each(Object.keys(subjects))("WorkTree contract: %s", (name) => {
  const subject = (): Promise<Subject> => {
    const make = subjects[name];
    if (!make) throw new Error(`no ${name}`);
    return make();
  };

  it("edits, commits with trailers and a note, finds the commit by key, and publishes it", async () => {
    const { workspace, published } = await subject();
    const base = await workspace.baseCommit();
    expect(await workspace.branchExists(BRANCH)).toBe(false);
    const tree = await workspace.open({ task: "T1", branch: BRANCH, base });
    expect(await tree.head()).toBe(base);
    await tree.writeFile("src/new.js", "export const x = 1;\n");
    await tree.writeFile("README.md", "changed\n");
    expect(await tree.deleteFile("src/slugify.js")).toBe(true);
    expect(await tree.changes()).toEqual([
      { path: "README.md", status: "modified" },
      { path: "src/new.js", status: "added" },
      { path: "src/slugify.js", status: "deleted" },
    ]);
    expect(await tree.readAtHead("README.md")).not.toBe("changed\n");
    expect(await tree.readFile("src/new.js")).toBe("export const x = 1;\n");
    const sha = await tree.commit({
      message: "S1: add x",
      trailers: { "Orchestrator-Key": "T1:implementing:S1:1:implement" },
      at: "2026-01-01T00:00:00Z",
      note: '{"calls":[]}',
    });
    await tree.publish();
    expect(await tree.filesIn(sha)).toEqual(["README.md", "src/new.js", "src/slugify.js"]);
    expect(await tree.findCommit({ key: "T1:implementing:S1:1:implement", since: base })).toBe(sha);
    expect(await tree.findCommit({ key: "other", since: base })).toBeNull();
    expect(await tree.noteOf(sha)).toBe('{"calls":[]}');
    expect(await tree.diff({ from: base, to: sha })).toContain("+export const x = 1;");
    // A commit's files stay what they were, whatever came after.
    expect((await tree.filesAt(base)).map((f) => f.path)).toContain("src/slugify.js");
    expect(await tree.filesAt(sha)).toContainEqual({ path: "src/new.js", size: 20 });
    expect((await tree.filesAt(sha)).map((f) => f.path)).not.toContain("src/slugify.js");
    expect(await tree.readAt(base, "src/new.js")).toBeNull();
    expect(await tree.readAt(sha, "src/new.js")).toBe("export const x = 1;\n");
    expect(await tree.readAt(base, "src/slugify.js")).toContain("export function slugify");
    expect(await published(BRANCH)).toBe(sha);
    expect(await workspace.branchExists(BRANCH)).toBe(true);
    expect(await workspace.branchExists(`${BRANCH}-2`)).toBe(false);
    const again = await workspace.open({ task: "T1", branch: BRANCH, base });
    expect(await again.head()).toBe(sha);
  });

  it("drops uncommitted work, new files included, and refuses paths outside the tree or into git", async () => {
    const { workspace } = await subject();
    const tree = await workspace.open({
      task: "T1",
      branch: BRANCH,
      base: await workspace.baseCommit(),
    });
    await tree.writeFile("junk/new.txt", "x");
    await tree.writeFile("README.md", "changed");
    await tree.discardChanges();
    expect(await tree.changes()).toEqual([]);
    expect(await tree.readFile("junk/new.txt")).toBeNull();
    for (const path of ["../x", ".git/config", ".GIT/config", "a/../../x"])
      await expect(tree.writeFile(path, "x"), path).rejects.toBeInstanceOf(ToolRefusedError);
  });

  it("a snapshot keeps the uncommitted files as they are; restoring it on a clean tree gives them back, bytes and deletions included", async () => {
    const { workspace } = await subject();
    const tree = await workspace.open({
      task: "T1",
      branch: BRANCH,
      base: await workspace.baseCommit(),
    });
    const head = await tree.head();
    await tree.writeFile("docs/new.md", "# new\n");
    await tree.writeFile("README.md", "changed, no newline");
    await tree.deleteFile("src/slugify.js");
    const before = await tree.changes();
    const snapshot = await tree.snapshot();
    // Taking it changes nothing: the same changes, the same head.
    expect(await tree.changes()).toEqual(before);
    expect(await tree.head()).toBe(head);
    expect(await tree.snapshot()).toBe(snapshot);
    await tree.discardChanges();
    expect(await tree.restore(snapshot)).toBe(true);
    expect(await tree.changes()).toEqual(before);
    expect(await tree.readFile("docs/new.md")).toBe("# new\n");
    expect(await tree.readFile("README.md")).toBe("changed, no newline");
    expect(await tree.readFile("src/slugify.js")).toBeNull();
    expect(await tree.head()).toBe(head);
    // A snapshot of a clean tree is the commit's own tree.
    await tree.discardChanges();
    const clean = await tree.snapshot();
    expect(await tree.restore(clean)).toBe(true);
    expect(await tree.changes()).toEqual([]);
    // One that is not in the repository is refused, and nothing changes.
    expect(await tree.restore("0".repeat(40))).toBe(false);
    expect(await tree.restore("not a tree; rm -rf")).toBe(false);
    expect(await tree.restore(head)).toBe(false);
    expect(await tree.changes()).toEqual([]);
  });
});
