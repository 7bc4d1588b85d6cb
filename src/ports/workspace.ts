/** One path changed since the last commit. */
export interface FileChange {
  readonly path: string;
  readonly status: "added" | "modified" | "deleted";
}

/** A checkout of one task's branch that the implementer edits through tools. */
export interface WorkTree {
  /** Current commit of the branch. */
  head(): Promise<string>;
  /** Repository-relative paths of tracked and new files, sorted, optionally below a folder. */
  listFiles(options?: { readonly under?: string }): Promise<string[]>;
  /** File text, or null when it does not exist. */
  readFile(path: string): Promise<string | null>;
  /** The text a file had at the last commit, or null when it did not exist there. */
  readAtHead(path: string): Promise<string | null>;
  /** The files a commit holds (what `git ls-tree -r` lists), sorted, with their sizes in bytes. */
  filesAt(commit: string): Promise<{ readonly path: string; readonly size: number }[]>;
  /** A file's text at a commit, or null when the commit has no such file. */
  readAt(commit: string, path: string): Promise<string | null>;
  /** Creates or replaces a file, creating folders. */
  writeFile(path: string, content: string): Promise<void>;
  /** Removes a file; false when there was none. */
  deleteFile(path: string): Promise<boolean>;
  /** Paths changed since the last commit, sorted, each with how it changed. */
  changes(): Promise<FileChange[]>;
  /** Drops every uncommitted change. */
  discardChanges(): Promise<void>;
  /**
   * The files as they are now, tracked and new (ignored ones aside), kept as a git tree whose
   * id is returned: nothing is committed, the branch and the index do not move.
   */
  snapshot(): Promise<string>;
  /**
   * Makes a clean work tree's files those of a snapshot, uncommitted (as an agent left them);
   * false when the snapshot is not in the repository (any more).
   */
  restore(snapshot: string): Promise<boolean>;
  /** Unified diff between two commits. */
  diff(options: { readonly from: string; readonly to: string }): Promise<string>;
  /** Paths a commit changed, sorted. */
  filesIn(commit: string): Promise<string[]>;
  /**
   * Commits all changes with the message and trailers, attaching `note` (data that belongs to
   * the commit and is published with it); returns the new commit.
   */
  commit(options: {
    readonly message: string;
    readonly trailers: Readonly<Record<string, string>>;
    readonly at: string;
    readonly note?: string;
  }): Promise<string>;
  /** The note attached to a commit by `commit`, or null. */
  noteOf(commit: string): Promise<string | null>;
  /** The commit on this branch (after `since`) whose `Orchestrator-Key` trailer is `key`, if any. */
  findCommit(options: { readonly key: string; readonly since: string }): Promise<string | null>;
  /** Makes the branch visible where people look (push on GitHub; nothing locally). */
  publish(): Promise<void>;
}

export interface Workspace {
  /** Opens (creating if needed) the work tree of a task on its branch, starting at `base` when new. */
  open(options: {
    readonly task: string;
    readonly branch: string;
    readonly base: string | null;
  }): Promise<WorkTree>;
  /** The commit a new task branch starts from. */
  baseCommit(): Promise<string>;
  /** Whether the branch exists already (a new task then takes another name: it starts afresh). */
  branchExists(branch: string): Promise<boolean>;
}
