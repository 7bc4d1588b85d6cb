import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Git } from "../../src/adapters/git/git.ts";

export type Entry = string | { readonly symlink: string };

/**
 * Pushes one commit with the given files (text, or symbolic links) onto `branch` of a bare
 * repository, as the repository's maintainer would. Returns the new head.
 */
export async function commitToBare(
  bare: string,
  files: Readonly<Record<string, Entry>>,
  branch = "main",
): Promise<string> {
  const work = await mkdtemp(join(tmpdir(), "hostile-"));
  try {
    const git = new Git({
      cwd: work,
      protocols: ["file"],
      env: {
        GIT_AUTHOR_NAME: "Someone",
        GIT_AUTHOR_EMAIL: "someone@example.com",
        GIT_COMMITTER_NAME: "Someone",
        GIT_COMMITTER_EMAIL: "someone@example.com",
        GIT_AUTHOR_DATE: "2026-01-02T00:00:00Z",
        GIT_COMMITTER_DATE: "2026-01-02T00:00:00Z",
      },
    });
    await git.run(["clone", "--quiet", "--branch", branch, "--", bare, "."]);
    for (const [path, entry] of Object.entries(files)) {
      const target = join(work, path);
      await mkdir(dirname(target), { recursive: true });
      if (typeof entry === "string") await writeFile(target, entry);
      else await symlink(entry.symlink, target);
    }
    await git.run(["add", "-A"]);
    await git.run(["commit", "--quiet", "-m", "hostile content"]);
    await git.run(["push", "--quiet", "--", bare, `HEAD:refs/heads/${branch}`]);
    return (await git.output(["rev-parse", "HEAD"])).trim();
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** A shell command that leaves a file behind if it ever runs, and the file to look for. */
export async function canary(): Promise<{ file: string; command: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), "canary-"));
  const file = join(dir, "ran");
  return { file, command: `touch ${file}`, dir };
}
