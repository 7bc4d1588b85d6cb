import { mkdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { slugify } from "../../core/text/slug.ts";
import type { WorkTree, Workspace } from "../../ports/workspace.ts";
import { createGit } from "../local/git.ts";
import { LocalWorkTree } from "../local/local-work-tree.ts";

const DEPTH = "50";

export interface RemoteWorkspaceOptions {
  /** HTTPS clone URL (or a local path in tests). */
  readonly cloneUrl: string;
  readonly defaultBranch: string;
  /** A fresh installation token for each git call that talks to the remote. */
  readonly token: () => Promise<string>;
  /** Where clones live on this host. */
  readonly directory: string;
  readonly author: { readonly name: string; readonly email: string };
}

/**
 * A shallow clone per task, pushed after every commit. The token reaches git only through the
 * environment of the one command that needs it (`GIT_CONFIG_*`), so it is never written to
 * `.git/config`, never in an argument list, and never seen by the model.
 */
export class RemoteWorkspace implements Workspace {
  readonly #options: RemoteWorkspaceOptions;

  constructor(options: RemoteWorkspaceOptions) {
    this.#options = options;
  }

  async baseCommit(): Promise<string> {
    const out = await (
      await this.#authed(this.#options.directory)
    ).raw(["ls-remote", this.#options.cloneUrl, `refs/heads/${this.#options.defaultBranch}`]);
    const sha = out.split(/\s/)[0];
    if (!sha) throw new Error(`branch ${this.#options.defaultBranch} not found`);
    return sha;
  }

  async open(options: { task: string; branch: string; base: string | null }): Promise<WorkTree> {
    const directory = join(this.#options.directory, slugify(options.task, 64));
    if (!(await exists(join(directory, ".git")))) {
      await mkdir(this.#options.directory, { recursive: true });
      const git = await this.#authed(this.#options.directory);
      const remoteBranch =
        (await git.raw(["ls-remote", "--heads", this.#options.cloneUrl, options.branch])).trim() !==
        "";
      await git.raw([
        "clone",
        "--quiet",
        "--no-tags",
        "--depth",
        DEPTH,
        "--branch",
        remoteBranch ? options.branch : this.#options.defaultBranch,
        this.#options.cloneUrl,
        directory,
      ]);
      if (!remoteBranch)
        await createGit(directory).raw([
          "checkout",
          "--quiet",
          "-b",
          options.branch,
          options.base ?? "HEAD",
        ]);
      else {
        const notes = `+${notesRef(options.task)}:${notesRef(options.task)}`;
        await (
          await this.#authed(directory)
        )
          .raw(["fetch", "--quiet", "origin", notes])
          .catch(() => undefined);
      }
    }
    return new PushingWorkTree({
      directory,
      author: this.#options.author,
      branch: options.branch,
      notesRef: notesRef(options.task),
      push: async (args) => {
        await (await this.#authed(directory)).raw(args);
      },
    });
  }

  async #authed(directory: string) {
    await mkdir(directory, { recursive: true });
    const token = await this.#options.token();
    const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
    return createGit(directory, {
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: "http.extraHeader",
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
    });
  }
}

/** One notes ref per task, so tasks of one repository never race on it. */
function notesRef(task: string): string {
  return `refs/notes/orchestrator/${slugify(task, 64)}`;
}

/** A work tree whose `publish` pushes its branch and its notes together (never forced). */
class PushingWorkTree extends LocalWorkTree {
  readonly #branch: string;
  readonly #push: (args: string[]) => Promise<void>;

  constructor(options: {
    directory: string;
    author: { name: string; email: string };
    branch: string;
    notesRef: string;
    push: (args: string[]) => Promise<void>;
  }) {
    super(options);
    this.#branch = options.branch;
    this.#push = options.push;
  }

  override async publish(): Promise<void> {
    await this.#push([
      "push",
      "--quiet",
      "--atomic",
      "origin",
      `HEAD:refs/heads/${this.#branch}`,
      `${this.notesRef}:${this.notesRef}`,
    ]);
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
