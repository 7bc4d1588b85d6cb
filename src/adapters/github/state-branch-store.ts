import { createHash } from "node:crypto";
import { CorruptStateError, StateConflictError } from "../../core/errors.ts";
import { TaskDocument } from "../../core/task/document.ts";
import type { StateStore, Stored } from "../../ports/state-store.ts";
import { statusOf, type GitHub, type RepoRef } from "./client.ts";
import { gitBlobSha } from "./git-blob-sha.ts";

const MAX_REBASES = 6;

interface Head {
  readonly commit: string;
  readonly tree: string;
}

/**
 * Task documents on a branch of the repository itself: `tasks/<id>.json`, `runs/<id>.md` and
 * journaled model answers under `calls/<id>/`. Every save is one commit (one tree with inline
 * contents, one commit, then `PATCH` of the ref with `force: false`). The version of a task is
 * its file's blob SHA: when another task moved the branch, the save is rebased onto the new head;
 * when this task's file changed, it is a conflict.
 */
export class StateBranchStore implements StateStore {
  readonly #github: GitHub;
  readonly #repo: RepoRef;
  readonly #branch: string;
  #head: Head | null = null;
  /** Journal files known to exist, per task. */
  readonly #journal = new Map<string, Set<string>>();
  /** Blob SHA of each task file at `#head`, as far as this process knows. */
  readonly #versions = new Map<string, string | null>();
  /** Answers journaled since the last save; they go into the next save's commit. */
  readonly #pendingCalls = new Map<string, { task: string; value: unknown }>();

  constructor(options: {
    readonly github: GitHub;
    readonly repo: RepoRef;
    readonly branch: string;
  }) {
    this.#github = options.github;
    this.#repo = options.repo;
    this.#branch = options.branch;
  }

  async load(task: string): Promise<Stored | null> {
    const file = await this.#readFile(`tasks/${task}.json`);
    if (!file) return null;
    const path = `${this.#branch}:tasks/${task}.json`;
    let raw: unknown;
    try {
      raw = JSON.parse(file.text);
    } catch (error) {
      throw new CorruptStateError(path, "not valid JSON", { cause: error });
    }
    const document = TaskDocument.safeParse(raw);
    if (!document.success)
      throw new CorruptStateError(
        path,
        `schema: ${document.error.issues[0]?.message ?? "invalid"}`,
      );
    return { document: document.data, version: file.sha };
  }

  async save(options: {
    document: TaskDocument;
    expectedVersion: string | null;
    runLog: string;
    records?: { path: string; lines: readonly string[] };
  }): Promise<string> {
    const task = options.document.id;
    const body = `${JSON.stringify(options.document, null, 1)}\n`;
    const version = gitBlobSha(body);
    if (version === options.expectedVersion && this.#pendingCalls.size === 0) return version;
    const journal = [...this.#pendingCalls.entries()];
    const files = [
      { path: `tasks/${task}.json`, content: body },
      { path: `runs/${task}.md`, content: options.runLog },
      ...journal.map(([key, call]) => ({
        path: callPath(call.task, key),
        content: JSON.stringify({ key, value: call.value }),
      })),
    ];
    for (let attempt = 0; ; attempt++) {
      const fresh = this.#head === null;
      if (this.#head === null) {
        this.#head = await this.#readHead();
        this.#versions.clear();
      }
      const head = this.#head;
      if (!this.#versions.has(task)) {
        this.#versions.set(
          task,
          (await this.#readFile(`tasks/${task}.json`, head.commit))?.sha ?? null,
        );
      }
      if (this.#versions.get(task) !== options.expectedVersion) {
        // What this process knows may be older than what the caller loaded: look once more.
        if (!fresh) {
          this.#head = null;
          continue;
        }
        throw new StateConflictError(task, null, null);
      }
      // Appended to the file as it is at the head this commit builds on; the ref's CAS keeps it.
      const records = options.records
        ? [
            {
              path: options.records.path,
              content: `${(await this.#readFile(options.records.path, head.commit))?.text ?? ""}${options.records.lines.join("\n")}\n`,
            },
          ]
        : [];
      const tree = await this.#github.rest.git.createTree({
        ...this.#repo,
        base_tree: head.tree,
        tree: [...files, ...records].map((f) => ({
          path: f.path,
          mode: "100644",
          type: "blob",
          content: f.content,
        })),
      });
      const commit = await this.#github.rest.git.createCommit({
        ...this.#repo,
        message: `orchestrator: ${task} ${options.document.state}`,
        tree: tree.data.sha,
        parents: [head.commit],
      });
      try {
        await this.#github.rest.git.updateRef({
          ...this.#repo,
          ref: `heads/${this.#branch}`,
          sha: commit.data.sha,
          force: false,
        });
        this.#head = { commit: commit.data.sha, tree: tree.data.sha };
        this.#versions.set(task, version);
        for (const [key, call] of journal) {
          this.#pendingCalls.delete(key);
          this.#journal.get(call.task)?.add(callPath(call.task, key));
        }
        return version;
      } catch (error) {
        if (statusOf(error) !== 422 || attempt >= MAX_REBASES) throw error;
        this.#head = null;
      }
    }
  }

  async list(): Promise<string[]> {
    try {
      const { data } = await this.#github.rest.repos.getContent({
        ...this.#repo,
        path: "tasks",
        ref: this.#branch,
      });
      return Array.isArray(data)
        ? data
            .filter((e) => e.name.endsWith(".json"))
            .map((e) => e.name.slice(0, -5))
            .sort()
        : [];
    } catch (error) {
      if (statusOf(error) === 404) return [];
      throw error;
    }
  }

  async readCall(options: { task: string; key: string }): Promise<unknown> {
    const pending = this.#pendingCalls.get(options.key);
    if (pending) return pending.value;
    const path = callPath(options.task, options.key);
    if (!(await this.#journalOf(options.task)).has(path)) return null;
    const file = await this.#readFile(path);
    if (!file) return null;
    try {
      return (JSON.parse(file.text) as { value: unknown }).value;
    } catch {
      return null;
    }
  }

  /**
   * Paths of a task's journaled answers, listed once: only the worker holding the task's lease
   * adds to it, so a miss needs no request.
   */
  async #journalOf(task: string): Promise<Set<string>> {
    let known = this.#journal.get(task);
    if (!known) {
      known = new Set<string>();
      try {
        const { data } = await this.#github.rest.repos.getContent({
          ...this.#repo,
          path: `calls/${task}`,
          ref: this.#branch,
        });
        if (Array.isArray(data)) for (const entry of data) known.add(entry.path);
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
      }
      this.#journal.set(task, known);
    }
    return known;
  }

  /** Kept until the next save, which commits it with the document: one commit, not one per call. */
  writeCall(options: { task: string; key: string; value: unknown }): Promise<void> {
    this.#pendingCalls.set(options.key, { task: options.task, value: options.value });
    return Promise.resolve();
  }

  /** The branch head, creating the branch as an orphan when it does not exist. */
  async #readHead(): Promise<Head> {
    try {
      const ref = await this.#github.rest.git.getRef({
        ...this.#repo,
        ref: `heads/${this.#branch}`,
      });
      const commit = await this.#github.rest.git.getCommit({
        ...this.#repo,
        commit_sha: ref.data.object.sha,
      });
      return { commit: ref.data.object.sha, tree: commit.data.tree.sha };
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
    const tree = await this.#github.rest.git.createTree({
      ...this.#repo,
      tree: [
        {
          path: "README.md",
          mode: "100644",
          type: "blob",
          content: "State of orchestrator tasks. Written by the app; do not edit by hand.\n",
        },
      ],
    });
    const commit = await this.#github.rest.git.createCommit({
      ...this.#repo,
      message: "orchestrator: state branch",
      tree: tree.data.sha,
      parents: [],
    });
    try {
      await this.#github.rest.git.createRef({
        ...this.#repo,
        ref: `refs/heads/${this.#branch}`,
        sha: commit.data.sha,
      });
      return { commit: commit.data.sha, tree: tree.data.sha };
    } catch (error) {
      if (statusOf(error) !== 422) throw error;
      return this.#readHead();
    }
  }

  async #readFile(path: string, ref = this.#branch): Promise<{ text: string; sha: string } | null> {
    try {
      const { data } = await this.#github.rest.repos.getContent({ ...this.#repo, path, ref });
      if (Array.isArray(data) || data.type !== "file") return null;
      return { text: Buffer.from(data.content, "base64").toString("utf8"), sha: data.sha };
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }
}

function callPath(task: string, key: string): string {
  return `calls/${task}/${createHash("sha256").update(key).digest("hex").slice(0, 40)}.json`;
}
