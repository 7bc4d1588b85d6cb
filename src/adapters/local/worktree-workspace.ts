import { appendFile, mkdir, readFile, stat } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import type { WorkTree, Workspace } from "../../ports/workspace.ts";
import { createGit } from "./git.ts";
import { LocalWorkTree } from "./local-work-tree.ts";

/** What we write under `.orchestrator/`; the folder may also hold the user's tracked config and tasks. */
const GENERATED = [
  "/.orchestrator/state/",
  "/.orchestrator/worktrees/",
  "/.orchestrator/runs/",
  "/.orchestrator/comments/",
  "/.orchestrator/ORCHESTRATOR_RUN_LOG.md",
];

export interface LocalWorkspaceOptions {
  /** The user's repository. Its checkout and current branch are never touched. */
  readonly repository: string;
  /** Where work trees live, normally `<repository>/.orchestrator/worktrees`. */
  readonly worktrees: string;
  readonly author: { readonly name: string; readonly email: string };
}

/** One `git worktree` per task, on the task's branch. */
export class LocalWorkspace implements Workspace {
  readonly #options: LocalWorkspaceOptions;
  readonly #git;
  #excluded = false;

  constructor(options: LocalWorkspaceOptions) {
    this.#options = options;
    this.#git = createGit(options.repository);
  }

  directoryOf(task: string): string {
    return join(this.#options.worktrees, task);
  }

  async baseCommit(): Promise<string> {
    return (await this.#git.revparse(["HEAD"])).trim();
  }

  async open(options: { task: string; branch: string; base: string | null }): Promise<WorkTree> {
    const directory = this.directoryOf(options.task);
    await this.#excludeStateFolder();
    if (!(await exists(join(directory, ".git")))) {
      await mkdir(this.#options.worktrees, { recursive: true });
      await this.#git.raw(["worktree", "prune"]);
      const branchExists =
        (await this.#git.raw(["branch", "--list", options.branch])).trim() !== "";
      if (branchExists)
        await this.#git.raw(["worktree", "add", "--quiet", directory, options.branch]);
      else
        await this.#git.raw([
          "worktree",
          "add",
          "--quiet",
          "-b",
          options.branch,
          directory,
          options.base ?? "HEAD",
        ]);
    }
    return new LocalWorkTree({ directory, author: this.#options.author });
  }

  /** Keeps what we write out of `git status` without editing any tracked file. */
  async #excludeStateFolder(): Promise<void> {
    if (this.#excluded) return;
    const gitPath = (await this.#git.raw(["rev-parse", "--git-common-dir"])).trim();
    const common = isAbsolute(gitPath) ? gitPath : resolve(this.#options.repository, gitPath);
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
    this.#excluded = true;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
