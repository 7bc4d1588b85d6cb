import { readFolder } from "./branch-snapshot.ts";
import { createHash } from "node:crypto";
import { CorruptStateError, StateConflictError } from "../../../core/errors.ts";
import { isOpen, survivalDue, TaskDocument } from "../../../core/task/document.ts";
import type { StateStore, Stored } from "../../../ports/state-store.ts";
import { statusOf, type GitHub, type RepoRef } from "../api/client.ts";
import { readBranch } from "./branch-snapshot.ts";
import { readRepositories } from "../sweep/sweep-snapshot.ts";
import { commitOnBranch } from "./commit-on-branch.ts";
import { gitBlobSha } from "./git-blob-sha.ts";
import { Content, GitObject } from "../api/responses.ts";

const MAX_REBASES = 6;
/** Keeps the `open/` folder (the index of open tasks) in existence when no task is open. */
const INDEX_NOTE = "README.md";

/** The tasks marked open, from the names in the state branch's `open/` folder. */
export function openTasksOf(markers: readonly string[]): string[] {
  return markers.filter((name) => name !== INDEX_NOTE).sort();
}

const INDEX_TEXT = "One file per task that may still have work; the sweep reads this folder.\n";

interface Head {
  readonly commit: string;
}

/**
 * Task documents on a branch of the repository itself: `tasks/<id>.json`, `runs/<id>.md` and
 * journaled model answers under `calls/<id>/`. Every save is one commit made by one GraphQL
 * `createCommitOnBranch` call, whose `expectedHeadOid` is the compare-and-swap. The version of a
 * task is its file's blob SHA: when another task moved the branch, the save is rebased onto the
 * new head; when this task's file changed, it is a conflict. Journaled answers wait in memory
 * and go into the next save's commit (`journal: "with-next-save"`).
 */
export class StateBranchStore implements StateStore {
  readonly #github: GitHub;
  readonly #repo: RepoRef;
  readonly #branch: string;
  /** The branch head as last seen; `absent` when the branch did not exist; null: not known. */
  #head: Head | "absent" | null = null;
  /** Journal files known to exist, per task. */
  readonly #journal = new Map<string, Set<string>>();
  /** Blob SHA of each task file at `#head`, as far as this process knows. */
  readonly #versions = new Map<string, string | null>();
  /** Whether each task's `open/<id>` marker is at `#head`, as far as this process knows. */
  readonly #open = new Map<string, boolean>();
  /** Each task's `later/<task>` marker as last seen: the due date of counting its lines, or null. */
  readonly #later = new Map<string, string | null>();
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
    const snapshot = await this.#snapshot(task);
    const file = snapshot?.files.get(taskPath(task)) ?? null;
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
    return { document: document.data, version: file.oid };
  }

  /** Every `records/*.jsonl` at the branch head, in one GraphQL request (a file too large for it over REST). */
  async recordFiles(): Promise<readonly string[]> {
    return readFolder(this.#github, this.#repo, this.#branch, "records", ".jsonl");
  }

  async save(options: {
    document: TaskDocument;
    expectedVersion: string | null;
    runLog: string;
    records?: { path: string; lines: readonly string[] };
    derived?: readonly { path: string; content: string }[];
  }): Promise<string> {
    const task = options.document.id;
    const body = `${JSON.stringify(options.document, null, 1)}\n`;
    const version = gitBlobSha(body);
    if (version === options.expectedVersion && this.#pendingCalls.size === 0) return version;
    const journal = [...this.#pendingCalls.entries()];
    const files = [
      { path: taskPath(task), content: body },
      { path: `runs/${task}.md`, content: options.runLog },
      ...journal.map(([key, call]) => ({
        path: callPath(call.task, key),
        content: JSON.stringify({ key, value: call.value }),
      })),
    ];
    for (let attempt = 0; ; attempt++) {
      if (attempt > MAX_REBASES * 2) throw new StateConflictError(task, null, null);
      // What this process knows of the branch may be older than what the caller loaded: a
      // version that does not match is looked at once more, at the branch's current head.
      let fresh = false;
      let recordsText: string | null = null;
      if (this.#head === null || !this.#versions.has(task) || options.records) {
        const snapshot = await this.#snapshot(task, options.records?.path);
        recordsText = options.records
          ? (snapshot?.files.get(options.records.path)?.text ?? "")
          : null;
        fresh = true;
      }
      if (this.#head === null || this.#head === "absent") {
        // No branch yet: make it; if another worker made it first, look at theirs.
        if (!(await this.#createBranch())) continue;
      }
      const head = this.#head;
      if (head === null || head === "absent") continue;
      if (this.#versions.get(task) !== options.expectedVersion) {
        if (!fresh) {
          this.#head = null;
          continue;
        }
        throw new StateConflictError(task, null, null);
      }
      // Appended to the file as it is at the head this commit builds on; the CAS keeps it.
      const records = options.records
        ? [
            {
              path: options.records.path,
              content: `${recordsText ?? ""}${options.records.lines.join("\n")}\n`,
            },
          ]
        : [];
      // One GraphQL mutation per save: the commit and the move of the branch, with the head we
      // built on as the compare-and-swap (`expectedHeadOid`). It never forces.
      // The index of open tasks: one marker file per task that may still have work.
      const open = isOpen(options.document);
      const marked = this.#open.get(task) ?? false;
      // Merged tasks whose lines are to be counted later: `later/<task>` holds the due date.
      const due = survivalDue(options.document);
      const later = this.#later.get(task) ?? null;
      const next = await commitOnBranch(this.#github, {
        repo: this.#repo,
        branch: this.#branch,
        expectedHead: head.commit,
        headline: `orchestrator: ${task} ${options.document.state}`,
        files: [
          ...files,
          ...records,
          ...(options.derived ?? []),
          ...(open && !marked ? [{ path: openPath(task), content: "1\n" }] : []),
          ...(due !== null && due !== later ? [{ path: laterPath(task), content: due }] : []),
        ],
        deletions: [
          ...(!open && marked ? [openPath(task)] : []),
          ...(due === null && later !== null ? [laterPath(task)] : []),
        ],
      });
      if (next === null) {
        if (attempt >= MAX_REBASES) throw new StateConflictError(task, null, null);
        this.#head = null;
        continue;
      }
      this.#head = { commit: next };
      this.#versions.set(task, version);
      this.#open.set(task, open);
      this.#later.set(task, due);
      // A task this store created has no journal on the branch yet: nothing to list.
      if (options.expectedVersion === null && !this.#journal.has(task))
        this.#journal.set(task, new Set());
      for (const [key, call] of journal) {
        this.#pendingCalls.delete(key);
        this.#journal.get(call.task)?.add(callPath(call.task, key));
      }
      return version;
    }
  }

  async list(): Promise<string[]> {
    return ((await this.#listFolder("tasks")) ?? [])
      .filter((name) => name.endsWith(".json"))
      .map((name) => name.slice(0, -5))
      .sort();
  }

  /** Answers wait in memory and are committed with the next save. */
  readonly journal = "with-next-save";

  /** The tasks that may still have work (see `index`). */
  async openTasks(): Promise<string[]> {
    return (await this.index()).open;
  }

  /**
   * The branch's indexes in one request: the tasks with an `open/<id>` marker, and merged tasks
   * whose lines are to be counted again, with when (`later/`). A branch written before markers
   * existed has none: its tasks are read once, and the index is written.
   */
  async index(): Promise<{ open: string[]; later: ReadonlyMap<string, string> }> {
    const [snapshot] = (
      await readRepositories(
        this.#github,
        [{ repo: this.#repo, defaultBranch: "HEAD" }],
        this.#branch,
      )
    ).values();
    if (!snapshot?.stateExists) return { open: [], later: new Map() };
    if (snapshot.open !== null) return { open: openTasksOf(snapshot.open), later: snapshot.later };
    // Written before the index existed: read every task once, and write the index.
    const open: string[] = [];
    for (const task of await this.list()) {
      const stored = await this.load(task);
      if (stored && isOpen(stored.document)) open.push(task);
    }
    const branch = await readBranch(this.#github, this.#repo, this.#branch, []);
    if (branch)
      await commitOnBranch(this.#github, {
        repo: this.#repo,
        branch: this.#branch,
        expectedHead: branch.head,
        headline: "orchestrator: index of open tasks",
        files: [
          { path: `open/${INDEX_NOTE}`, content: INDEX_TEXT },
          ...open.map((task) => ({ path: openPath(task), content: "1\n" })),
        ],
      });
    this.#head = null;
    return { open, later: snapshot.later };
  }

  async existing(tasks: readonly string[]): Promise<Set<string>> {
    if (tasks.length === 0) return new Set();
    const snapshot = await readBranch(this.#github, this.#repo, this.#branch, tasks.map(taskPath));
    return new Set(tasks.filter((t) => snapshot?.files.get(taskPath(t))));
  }

  /** The names in a folder of the branch, or null when there is no such folder. */
  async #listFolder(path: string): Promise<string[] | null> {
    try {
      const { data } = await this.#github.rest.repos.getContent({
        ...this.#repo,
        path,
        ref: this.#branch,
      });
      const content = Content.parse(data);
      return Array.isArray(content) ? content.map((e) => e.name) : [];
    } catch (error) {
      if (statusOf(error) === 404) return null;
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
        const content = Content.parse(data);
        if (Array.isArray(content)) for (const entry of content) known.add(entry.path);
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

  /**
   * Reads the branch head and this task's file (and a records file) at that head in one
   * request, and remembers both. Null when the branch does not exist yet.
   */
  async #snapshot(task: string, records?: string) {
    const paths = [taskPath(task), openPath(task), laterPath(task), ...(records ? [records] : [])];
    const snapshot = await readBranch(this.#github, this.#repo, this.#branch, paths);
    const before = this.#head === null || this.#head === "absent" ? null : this.#head.commit;
    if (snapshot?.head !== before) {
      this.#versions.clear();
      this.#open.clear();
      this.#later.clear();
    }
    this.#head = snapshot ? { commit: snapshot.head } : "absent";
    this.#versions.set(task, snapshot?.files.get(taskPath(task))?.oid ?? null);
    this.#open.set(task, Boolean(snapshot?.files.get(openPath(task))));
    this.#later.set(task, snapshot?.files.get(laterPath(task))?.text ?? null);
    return snapshot;
  }

  /**
   * Creates the branch as an orphan (no history shared with the code). False when another
   * worker created it first: its head is then unknown and must be read.
   */
  async #createBranch(): Promise<boolean> {
    const tree = await this.#github.rest.git.createTree({
      ...this.#repo,
      tree: [
        {
          path: "README.md",
          mode: "100644",
          type: "blob",
          content: "State of orchestrator tasks. Written by the app; do not edit by hand.\n",
        },
        { path: `open/${INDEX_NOTE}`, mode: "100644", type: "blob", content: INDEX_TEXT },
      ],
    });
    const commit = await this.#github.rest.git.createCommit({
      ...this.#repo,
      message: "orchestrator: state branch",
      tree: GitObject.parse(tree.data).sha,
      parents: [],
    });
    try {
      await this.#github.rest.git.createRef({
        ...this.#repo,
        ref: `refs/heads/${this.#branch}`,
        sha: GitObject.parse(commit.data).sha,
      });
      this.#head = { commit: GitObject.parse(commit.data).sha };
      return true;
    } catch (error) {
      if (statusOf(error) !== 422) throw error;
      this.#head = null;
      return false;
    }
  }

  async #readFile(path: string, ref = this.#branch): Promise<{ text: string; sha: string } | null> {
    try {
      const { data } = await this.#github.rest.repos.getContent({ ...this.#repo, path, ref });
      const content = Content.parse(data);
      if (Array.isArray(content) || !("sha" in content)) return null;
      return { text: Buffer.from(content.content, "base64").toString("utf8"), sha: content.sha };
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }
}

function openPath(task: string): string {
  return `open/${task}`;
}

function laterPath(task: string): string {
  return `later/${task}`;
}

function taskPath(task: string): string {
  return `tasks/${task}.json`;
}

function callPath(task: string, key: string): string {
  return `calls/${task}/${createHash("sha256").update(key).digest("hex").slice(0, 40)}.json`;
}
