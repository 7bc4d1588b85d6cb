import { appendFile, mkdir, readdir, readFile, realpath, stat } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import type { WorkTree, Workspace } from "../../ports/workspace.ts";
import { Git } from "../git/git.ts";
import { GitWorkTree } from "../git/work-tree.ts";

/**
 * What we write under `.orchestrator/` (the store's derived files included): the folder may also
 * hold the user's own config and tasks, which stay visible to git.
 */
const GENERATED = [
  "/.orchestrator/state/",
  "/.orchestrator/worktrees/",
  "/.orchestrator/runs/",
  "/.orchestrator/comments/",
  "/.orchestrator/records/",
  "/.orchestrator/ORCHESTRATOR_RUN_LOG.md",
  "/.orchestrator/DASHBOARD.md",
  "/.orchestrator/knowledge.md",
];

export interface LocalWorkspaceOptions {
  /** The user's repository. Its checkout and current branch are never touched. */
  readonly repository: string;
  /** Where work trees live: outside the repository (`worktreesOf` in `worktree-home.ts`). */
  readonly worktrees: string;
  readonly author: { readonly name: string; readonly email: string };
}

/**
 * One `git worktree` per task, on the task's branch. Git is always pointed at the work tree's
 * own git directory inside the repository's (`.git/worktrees/<name>`), found from git's side,
 * never through the `.git` file in the work tree.
 */
export class LocalWorkspace implements Workspace {
  readonly #options: LocalWorkspaceOptions;
  readonly #git: Git;
  #common: string | null = null;

  constructor(options: LocalWorkspaceOptions) {
    this.#options = options;
    this.#git = new Git({ cwd: options.repository });
  }

  directoryOf(task: string): string {
    return join(this.#options.worktrees, task);
  }

  async baseCommit(): Promise<string> {
    return (await this.#git.output(["rev-parse", "HEAD"])).trim();
  }

  async branchExists(branch: string): Promise<boolean> {
    return (await this.#git.run(["branch", "--list", "--", branch])).trim() !== "";
  }

  async open(options: { task: string; branch: string; base: string | null }): Promise<WorkTree> {
    const directory = this.directoryOf(options.task);
    const common = await this.#commonDir();
    let gitDir = await this.#adminDirOf(directory, common);
    if (gitDir === null) {
      await mkdir(this.#options.worktrees, { recursive: true });
      await this.#git.run(["worktree", "prune"]);
      if (await this.branchExists(options.branch))
        await this.#git.run(["worktree", "add", "--quiet", directory, options.branch]);
      else
        await this.#git.run([
          "worktree",
          "add",
          "--quiet",
          "-b",
          options.branch,
          directory,
          options.base ?? "HEAD",
        ]);
      gitDir = await this.#adminDirOf(directory, common);
      if (gitDir === null) throw new Error(`git made no work tree at ${directory}`);
    }
    return new GitWorkTree({
      directory,
      gitDir,
      git: new Git({ cwd: directory, gitDir, workTree: directory }),
      author: this.#options.author,
    });
  }

  /** The repository's git directory; also keeps what we write out of `git status`. */
  async #commonDir(): Promise<string> {
    if (this.#common) return this.#common;
    const gitPath = (await this.#git.output(["rev-parse", "--git-common-dir"])).trim();
    const common = await realpath(
      isAbsolute(gitPath) ? gitPath : resolve(this.#options.repository, gitPath),
    );
    const exclude = join(common, "info", "exclude");
    const text = await readFile(exclude, "utf8").catch(() => "");
    const missing = GENERATED.filter((line) => !text.split("\n").includes(line));
    if (missing.length > 0) {
      await mkdir(join(common, "info"), { recursive: true });
      await appendFile(
        exclude,
        `${text === "" || text.endsWith("\n") ? "" : "\n"}${missing.join("\n")}\n`,
      );
    }
    this.#common = common;
    return common;
  }

  /** The `worktrees/<name>` folder whose `gitdir` file names this work tree, if any. */
  async #adminDirOf(directory: string, common: string): Promise<string | null> {
    if (!(await exists(directory))) return null;
    const expected = join(await realpath(directory), ".git");
    const admin = join(common, "worktrees");
    for (const name of await readdir(admin).catch(() => [])) {
      const pointer = await readFile(join(admin, name, "gitdir"), "utf8").catch(() => "");
      if (pointer.trim() === expected) return join(admin, name);
    }
    return null;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
