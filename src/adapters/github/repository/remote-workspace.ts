import { mkdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { WorkspaceError } from "../../../core/errors.ts";
import { slugify } from "../../../core/text/slug.ts";
import type { WorkTree, Workspace } from "../../../ports/workspace.ts";
import type { GitProtocol } from "../../git/environment.ts";
import { Git } from "../../git/git.ts";
import { GitWorkTree, type GitWorkTreeOptions } from "../../git/work-tree.ts";

const DEPTH = "50";

export interface RemoteWorkspaceOptions {
  /** The URL every clone, fetch and push uses, computed by the app (HTTPS; a local path in tests). */
  readonly cloneUrl: string;
  readonly defaultBranch: string;
  /** A fresh installation token for each git call that talks to the remote. */
  readonly token: () => Promise<string>;
  /** Where clones live on this host. */
  readonly directory: string;
  /** Who commits: given, or looked up when the first work tree is made. */
  readonly author:
    | { readonly name: string; readonly email: string }
    | (() => Promise<{ readonly name: string; readonly email: string }>);
}

/**
 * A shallow clone per task, pushed after every commit.
 *
 * The repository is untrusted. Its git directory lives beside the work tree, never inside it
 * (`<task>/git` and `<task>/tree`, with no `.git` entry in the tree), so nothing the implementer
 * writes can reach git's config or hooks; every command names both explicitly. Clones, fetches
 * and pushes go to `cloneUrl`, never to a remote configured in the clone. The token reaches git
 * only through the environment of the one command that needs it, so it is never written to the
 * git config, never in an argument list, and never seen by the model.
 */
export class RemoteWorkspace implements Workspace {
  readonly #options: RemoteWorkspaceOptions;
  readonly #protocols: readonly GitProtocol[];
  readonly #checkedConfigs = new Set<string>();

  constructor(options: RemoteWorkspaceOptions) {
    this.#options = options;
    this.#protocols = /^https:\/\//i.test(options.cloneUrl) ? ["https"] : ["file"];
  }

  async baseCommit(): Promise<string> {
    await mkdir(this.#options.directory, { recursive: true });
    const git = new Git({ cwd: this.#options.directory, protocols: this.#protocols });
    const out = await git.run(
      ["ls-remote", "--", this.#options.cloneUrl, `refs/heads/${this.#options.defaultBranch}`],
      { secretEnv: await this.#auth() },
    );
    const sha = out.split(/\s/)[0];
    if (!sha) throw new Error(`branch ${this.#options.defaultBranch} not found`);
    return sha;
  }

  async branchExists(branch: string): Promise<boolean> {
    await mkdir(this.#options.directory, { recursive: true });
    const git = new Git({ cwd: this.#options.directory, protocols: this.#protocols });
    const out = await git.run(["ls-remote", "--", this.#options.cloneUrl, `refs/heads/${branch}`], {
      secretEnv: await this.#auth(),
    });
    return out.trim() !== "";
  }

  async open(options: { task: string; branch: string; base: string | null }): Promise<WorkTree> {
    // The engine checks the branch against the task's own; this holds even if a check is missed.
    if (options.branch === this.#options.defaultBranch || options.branch.startsWith("-"))
      throw new Error(`a task never works on ${options.branch}`);
    const root = join(this.#options.directory, slugify(options.task, 64));
    const gitDir = join(root, "git");
    const directory = join(root, "tree");
    // Commands run in the tree, so the paths they print are the tree's.
    const git = new Git({
      cwd: directory,
      gitDir,
      workTree: directory,
      protocols: this.#protocols,
    });
    if (!(await exists(join(gitDir, "HEAD")))) {
      await rm(root, { recursive: true, force: true });
      await mkdir(root, { recursive: true });
      const outside = new Git({ cwd: root, protocols: this.#protocols });
      const auth = await this.#auth();
      const remoteBranch =
        (
          await outside.run(
            ["ls-remote", "--heads", "--", this.#options.cloneUrl, options.branch],
            {
              secretEnv: auth,
            },
          )
        ).trim() !== "";
      await outside.run(
        [
          "clone",
          "--quiet",
          "--no-tags",
          "--no-checkout",
          "--depth",
          DEPTH,
          "--branch",
          remoteBranch ? options.branch : this.#options.defaultBranch,
          `--separate-git-dir=${gitDir}`,
          "--",
          this.#options.cloneUrl,
          directory,
        ],
        { secretEnv: auth },
      );
      // The pointer file git leaves in the tree is the one way a tree could name a git
      // directory; commands name ours explicitly, so the file goes.
      await rm(join(directory, ".git"), { force: true });
      // Our attributes come first: no filter driver and no diff driver is ever chosen by the
      // repository's own .gitattributes, whatever a config might define.
      await mkdir(join(gitDir, "info"), { recursive: true });
      await writeFile(join(gitDir, "info", "attributes"), "* -filter diff\n");
      await git.run(["checkout", "--quiet", "--force", "HEAD"]);
      if (!remoteBranch)
        await git.run(["checkout", "--quiet", "-b", options.branch, options.base ?? "HEAD"]);
      else {
        const notes = notesRef(options.task);
        await git
          .run(["fetch", "--quiet", "--", this.#options.cloneUrl, `+${notes}:${notes}`], {
            secretEnv: await this.#auth(),
          })
          .catch(() => undefined);
      }
    }
    return new PushingWorkTree({
      directory,
      gitDir,
      git,
      author:
        typeof this.#options.author === "function"
          ? await this.#options.author()
          : this.#options.author,
      notesRef: notesRef(options.task),
      branch: options.branch,
      url: this.#options.cloneUrl,
      auth: () => this.#auth(),
      checked: this.#checkedConfigs,
    });
  }

  /** The token as an HTTP header for one git process (`GIT_CONFIG_*`: environment only). */
  async #auth(): Promise<Record<string, string>> {
    const token = await this.#options.token();
    const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
    return {
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: "http.extraHeader",
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
    };
  }
}

/** One notes ref per task, so tasks of one repository never race on it. */
function notesRef(task: string): string {
  return `refs/notes/orchestrator/${slugify(task, 64)}`;
}

/** A work tree whose `publish` pushes its branch and its notes together (never forced). */
class PushingWorkTree extends GitWorkTree {
  readonly #branch: string;
  readonly #url: string;
  readonly #auth: () => Promise<Record<string, string>>;
  readonly #checked: Set<string>;

  constructor(
    options: GitWorkTreeOptions & {
      readonly branch: string;
      readonly url: string;
      readonly auth: () => Promise<Record<string, string>>;
      /** Config files already found clean (see `assertCloneConfig`). */
      readonly checked: Set<string>;
    },
  ) {
    super(options);
    this.#branch = options.branch;
    this.#url = options.url;
    this.#auth = options.auth;
    this.#checked = options.checked;
  }

  override async commit(options: Parameters<GitWorkTree["commit"]>[0]): Promise<string> {
    await assertCloneConfig(this.git, this.gitDir, this.#checked);
    return super.commit(options);
  }

  override async publish(): Promise<void> {
    await assertCloneConfig(this.git, this.gitDir, this.#checked);
    await this.git.run(
      [
        "push",
        "--quiet",
        "--atomic",
        "--",
        this.#url,
        `HEAD:refs/heads/${this.#branch}`,
        `${this.notesRef}:${this.notesRef}`,
      ],
      { secretEnv: await this.#auth() },
    );
  }

  override async findCommit(options: { key: string; since: string }): Promise<string | null> {
    try {
      return await super.findCommit(options);
    } catch {
      // The base may lie outside a shallow clone: look through what we have.
      return super.findCommit({ key: options.key, since: "" });
    }
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** The settings `git clone` and `git checkout -b` write; anything else was put there by someone else. */
const CLONE_CONFIG =
  /^(core\.(repositoryformatversion|filemode|bare|logallrefupdates|ignorecase|precomposeunicode|symlinks)|remote\.origin\.(url|fetch|tagopt)|branch\..+\.(remote|merge))$/;

/**
 * Refuses to go on when the clone's git config holds a setting we did not write. The config is
 * out of the implementer's reach; this check makes sure that no setting that runs a program
 * (filters) or picks an endpoint (`url.*.insteadOf`, push URLs) is ever honoured if it got there.
 */
async function assertCloneConfig(git: Git, gitDir: string, checked: Set<string>): Promise<void> {
  // git reads the file; this process remembers files it found clean, by their identity and
  // size and time, so an unchanged config is not read again.
  const info = await stat(join(gitDir, "config"));
  const stamp = `${gitDir}:${String(info.ino)}:${String(info.size)}:${String(info.mtimeMs)}`;
  if (checked.has(stamp)) return;
  const names = (await git.output(["config", "--local", "--list", "--name-only"]))
    .split("\n")
    .map((n) => n.trim())
    .filter(Boolean);
  const foreign = names.filter((n) => !CLONE_CONFIG.test(n));
  if (foreign.length > 0)
    throw new WorkspaceError(
      `the clone's git config holds settings the app did not write (${foreign.join(", ")}); nothing was committed or pushed`,
    );
  checked.add(stamp);
}
