import { lstat, mkdir, open, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { ToolRefusedError } from "../../core/errors.ts";
import type { FileChange, WorkTree } from "../../ports/workspace.ts";
import type { Git } from "./git.ts";
import { resolveInside } from "./path-guard.ts";

/** Files larger than this are read only up to it. */
const MAX_READ_BYTES = 2 * 1024 * 1024;

export interface GitWorkTreeOptions {
  /** The checked-out files. */
  readonly directory: string;
  /** The git directory, outside `directory`. */
  readonly gitDir: string;
  /** Git bound to `gitDir` and `directory`. */
  readonly git: Git;
  readonly author: { readonly name: string; readonly email: string };
  /** Where commit notes are kept. */
  readonly notesRef?: string;
}

/**
 * A git work tree whose git directory is named explicitly (never found through a `.git` entry
 * the implementer could edit). Every tool path is resolved by `resolveInside`.
 */
export class GitWorkTree implements WorkTree {
  readonly directory: string;
  readonly gitDir: string;
  /** Where commit notes are kept. */
  readonly notesRef: string;
  protected readonly git: Git;
  readonly #author: { name: string; email: string };

  constructor(options: GitWorkTreeOptions) {
    this.directory = options.directory;
    this.gitDir = options.gitDir;
    this.git = options.git;
    this.notesRef = options.notesRef ?? "refs/notes/orchestrator";
    this.#author = options.author;
  }

  async head(): Promise<string> {
    return (await this.git.output(["rev-parse", "HEAD"])).trim();
  }

  async listFiles(options: { under?: string } = {}): Promise<string[]> {
    const args = ["ls-files", "-co", "--exclude-standard", "-z"];
    if (options.under) args.push("--", options.under);
    const out = await this.git.run(args);
    return [...new Set(out.split("\0").filter(Boolean))].sort();
  }

  async readFile(path: string): Promise<string | null> {
    const file = await this.#inside(path);
    const info = await lstat(file).catch(() => null);
    if (!info?.isFile()) return null;
    const handle = await open(file, "r");
    try {
      const size = Math.min(info.size, MAX_READ_BYTES);
      const buffer = Buffer.alloc(size);
      const { bytesRead } = await handle.read(buffer, 0, size, 0);
      return buffer.subarray(0, bytesRead).toString("utf8");
    } finally {
      await handle.close();
    }
  }

  async readAtHead(path: string): Promise<string | null> {
    try {
      return await this.git.output(["show", `HEAD:${path}`]);
    } catch {
      return null;
    }
  }

  async filesAt(commit: string): Promise<{ path: string; size: number }[]> {
    // An empty tree prints nothing: `run`, not `output` (see Git: simple-git waits after silence).
    const out = await this.git.run(["ls-tree", "-r", "-l", "-z", "--full-tree", commit]);
    // `<mode> <type> <object> <size>\t<path>`; submodules (commits) have no size.
    return out
      .split("\0")
      .flatMap((entry) => {
        const m = /^\d+ blob [0-9a-f]+ +(\d+)\t(.+)$/s.exec(entry);
        return m?.[2] ? [{ path: m[2], size: Number(m[1]) }] : [];
      })
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async readAt(commit: string, path: string): Promise<string | null> {
    try {
      // An empty file prints nothing.
      return await this.git.run(["show", "--no-textconv", `${commit}:${path}`]);
    } catch {
      return null;
    }
  }

  async writeFile(path: string, content: string): Promise<void> {
    const file = await this.#inside(path);
    const info = await lstat(file).catch(() => null);
    if (info?.isSymbolicLink())
      throw new ToolRefusedError(`${path} is a symbolic link; it is not written through`);
    if (info?.isDirectory()) throw new ToolRefusedError(`${path} is a folder`);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(await this.#inside(path), content, "utf8");
  }

  async deleteFile(path: string): Promise<boolean> {
    const file = await this.#inside(path);
    const info = await lstat(file).catch(() => null);
    if (!info || info.isDirectory()) return false;
    await rm(file);
    return true;
  }

  async changes(): Promise<FileChange[]> {
    // A clean tree prints nothing: `run`, not `output` (see Git: simple-git waits after silence).
    const out = await this.git.run(["status", "--porcelain=v1", "-z", "--untracked-files=all"]);
    const changes = new Map<string, FileChange>();
    const entries = out.split("\0");
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] ?? "";
      if (entry.length < 4) continue;
      const code = entry.slice(0, 2);
      const path = entry.slice(3);
      const status = code.includes("D") ? "deleted" : /\?|A/.test(code) ? "added" : "modified";
      changes.set(path, { path, status });
      // A rename or copy names its source next; the source is gone from where it was.
      if (code[0] === "R" || code[0] === "C") {
        const from = entries[++i] ?? "";
        if (code[0] === "R" && from) changes.set(from, { path: from, status: "deleted" });
      }
    }
    return [...changes.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async discardChanges(): Promise<void> {
    await this.git.run(["reset", "--hard", "--quiet"]);
    await this.git.run(["clean", "-fdq"]);
  }

  async snapshot(): Promise<string> {
    // A private index, so the real one (and so `changes`) is as it was.
    const index = join(this.gitDir, "orchestrator-snapshot.index");
    const git = this.git.with({ GIT_INDEX_FILE: index });
    try {
      await git.run(["read-tree", "HEAD"]);
      await git.run(["add", "-A"]);
      return (await git.output(["write-tree"])).trim();
    } finally {
      await rm(index, { force: true });
    }
  }

  async restore(snapshot: string): Promise<boolean> {
    if (!/^[0-9a-f]{40,64}$/.test(snapshot)) return false;
    const type = await this.git.output(["cat-file", "-t", snapshot]).catch(() => "");
    if (type.trim() !== "tree") return false;
    await this.git.run(["read-tree", "--reset", "-u", snapshot]);
    // The files stay; the index goes back to the commit, so they are uncommitted changes again.
    await this.git.run(["reset", "--quiet"]);
    return true;
  }

  async diff(options: { from: string; to: string }): Promise<string> {
    return this.git.run([
      "diff",
      "--no-color",
      "--no-ext-diff",
      "--no-textconv",
      options.from,
      options.to,
    ]);
  }

  async filesIn(commit: string): Promise<string[]> {
    const out = await this.git.output([
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
    const git = this.git.with({
      GIT_AUTHOR_NAME: this.#author.name,
      GIT_AUTHOR_EMAIL: this.#author.email,
      GIT_COMMITTER_NAME: this.#author.name,
      GIT_COMMITTER_EMAIL: this.#author.email,
      GIT_AUTHOR_DATE: options.at,
      GIT_COMMITTER_DATE: options.at,
    });
    await git.run(["add", "-A"]);
    await git.run([
      "commit",
      "--quiet",
      "--no-verify",
      "--cleanup=strip",
      "-m",
      `${options.message.trim()}\n\n${trailers}`,
    ]);
    const head = await this.head();
    if (options.note !== undefined)
      await git.run(["notes", `--ref=${this.notesRef}`, "add", "-f", "-m", options.note, head]);
    return head;
  }

  async noteOf(commit: string): Promise<string | null> {
    try {
      return (await this.git.output(["notes", `--ref=${this.notesRef}`, "show", commit])).trim();
    } catch {
      return null;
    }
  }

  async findCommit(options: { key: string; since: string }): Promise<string | null> {
    const out = await this.git.run([
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

  #inside(path: string): Promise<string> {
    return resolveInside(this.directory, path, [this.gitDir]);
  }
}
