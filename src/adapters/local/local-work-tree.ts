import { lstat, mkdir, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { ToolRefusedError } from "../../core/errors.ts";
import type { WorkTree } from "../../ports/workspace.ts";
import { createGit } from "./git.ts";

/** A git work tree on disk. Every path is checked to stay inside it, symlinks included. */
export class LocalWorkTree implements WorkTree {
  readonly directory: string;
  readonly #author: { name: string; email: string };
  readonly #git;

  /** Where commit notes are kept. */
  readonly notesRef: string;

  constructor(options: {
    readonly directory: string;
    readonly author: { name: string; email: string };
    readonly notesRef?: string;
  }) {
    this.directory = options.directory;
    this.notesRef = options.notesRef ?? "refs/notes/orchestrator";
    this.#author = options.author;
    this.#git = createGit(options.directory);
  }

  async head(): Promise<string> {
    return (await this.#git.revparse(["HEAD"])).trim();
  }

  async listFiles(options: { under?: string } = {}): Promise<string[]> {
    const args = ["ls-files", "-co", "--exclude-standard", "-z"];
    if (options.under) args.push("--", options.under);
    const out = await this.#git.raw(args);
    return [...new Set(out.split("\0").filter(Boolean))].sort();
  }

  async readFile(path: string): Promise<string | null> {
    const file = await this.#inside(path);
    try {
      return await readFile(file, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "EISDIR") return null;
      throw error;
    }
  }

  async writeFile(path: string, content: string): Promise<void> {
    const file = await this.#inside(path);
    const info = await lstat(file).catch(() => null);
    if (info?.isSymbolicLink())
      throw new ToolRefusedError(`${path} is a symbolic link; it is not written through`);
    if (info?.isDirectory()) throw new ToolRefusedError(`${path} is a folder`);
    await mkdir(dirname(file), { recursive: true });
    await this.#inside(path);
    await writeFile(file, content, "utf8");
  }

  async deleteFile(path: string): Promise<boolean> {
    const file = await this.#inside(path);
    const info = await lstat(file).catch(() => null);
    if (!info || info.isDirectory()) return false;
    await rm(file);
    return true;
  }

  async search(options: { query: string; limit: number }): Promise<string[]> {
    try {
      const out = await this.#git.raw([
        "grep",
        "-n",
        "-I",
        "-F",
        "--untracked",
        "-e",
        options.query,
      ]);
      return out.split("\n").filter(Boolean).slice(0, options.limit);
    } catch {
      return [];
    }
  }

  async changedFiles(): Promise<string[]> {
    const out = await this.#git.raw(["status", "--porcelain=v1", "-z", "--untracked-files=all"]);
    const files: string[] = [];
    const entries = out.split("\0");
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] ?? "";
      if (entry.length < 4) continue;
      files.push(entry.slice(3));
      if (entry[0] === "R" || entry[0] === "C") i++;
    }
    return [...new Set(files)].sort();
  }

  async discardChanges(): Promise<void> {
    await this.#git.raw(["reset", "--hard", "--quiet"]);
    await this.#git.raw(["clean", "-fdq"]);
  }

  async diff(options: { from: string; to: string }): Promise<string> {
    return this.#git.raw(["diff", "--no-color", "--no-ext-diff", options.from, options.to]);
  }

  async filesIn(commit: string): Promise<string[]> {
    const out = await this.#git.raw([
      "diff-tree",
      "--no-commit-id",
      "--name-only",
      "-r",
      "--root",
      "-z",
      commit,
    ]);
    return out.split("\0").filter(Boolean).sort();
  }

  async commit(options: {
    message: string;
    trailers: Readonly<Record<string, string>>;
    at: string;
    note?: string;
  }): Promise<string> {
    const trailers = Object.entries(options.trailers)
      .map(([k, v]) => `${k}: ${v.replace(/\n/g, " ")}`)
      .join("\n");
    const git = createGit(this.directory, {
      GIT_AUTHOR_NAME: this.#author.name,
      GIT_AUTHOR_EMAIL: this.#author.email,
      GIT_COMMITTER_NAME: this.#author.name,
      GIT_COMMITTER_EMAIL: this.#author.email,
      GIT_AUTHOR_DATE: options.at,
      GIT_COMMITTER_DATE: options.at,
    });
    await git.raw(["add", "-A"]);
    await git.raw([
      "commit",
      "--quiet",
      "--no-verify",
      "--cleanup=strip",
      "-m",
      `${options.message.trim()}\n\n${trailers}`,
    ]);
    const head = await this.head();
    if (options.note !== undefined)
      await git.raw(["notes", `--ref=${this.notesRef}`, "add", "-f", "-m", options.note, head]);
    return head;
  }

  async noteOf(commit: string): Promise<string | null> {
    try {
      return (await this.#git.raw(["notes", `--ref=${this.notesRef}`, "show", commit])).trim();
    } catch {
      return null;
    }
  }

  async findCommit(options: { key: string; since: string }): Promise<string | null> {
    const out = await this.#git.raw([
      "log",
      "--format=%H%x1f%(trailers:key=Orchestrator-Key,valueonly,separator=%x1e)",
      "-n",
      "500",
      options.since ? `${options.since}..HEAD` : "HEAD",
    ]);
    for (const line of out.split("\n")) {
      const [sha, keys] = line.split("\x1f");
      if (
        sha &&
        keys
          ?.split("\x1e")
          .map((k) => k.trim())
          .includes(options.key)
      )
        return sha;
    }
    return null;
  }

  async publish(): Promise<void> {
    // A local branch is already where its owner looks.
  }

  /** The absolute path of `path`, refusing anything that resolves outside the tree. */
  async #inside(path: string): Promise<string> {
    const root = await realpath(this.directory);
    const target = resolve(root, path);
    if (!isWithin(root, target) || relative(root, target).split(sep).includes(".git")) {
      throw new ToolRefusedError(`${path} is outside the work tree`);
    }
    let probe = target;
    while (
      !(await lstat(probe).then(
        () => true,
        () => false,
      ))
    )
      probe = dirname(probe);
    const real = await realpath(probe);
    if (!isWithin(root, real))
      throw new ToolRefusedError(`${path} leads outside the work tree through a symbolic link`);
    return join(root, relative(root, target));
  }
}

function isWithin(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === "" || (!rel.startsWith("..") && !rel.startsWith(sep) && rel !== "..");
}
