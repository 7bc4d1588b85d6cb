import type { TaskDocument } from "../core/task/document.ts";

export interface Stored {
  readonly document: TaskDocument;
  /** Opaque version for compare-and-swap. */
  readonly version: string;
}

/** Durable task documents and the side files that belong to them. */
export interface StateStore {
  /** The task's document, or null when there is none. Throws `CorruptStateError` for a damaged one. */
  load(task: string): Promise<Stored | null>;
  /**
   * Saves when the stored version is still `expectedVersion` (null: must not exist yet);
   * otherwise throws `StateConflictError`. The run log is saved with the document.
   */
  save(options: {
    readonly document: TaskDocument;
    readonly expectedVersion: string | null;
    readonly runLog: string;
    /** Lines to append to a records file (learning data), in the same write. */
    readonly records?: { readonly path: string; readonly lines: readonly string[] };
    /** Files made from the records (the dashboard), replaced in the same write; they may lag when tasks end at once. */
    readonly derived?: readonly { readonly path: string; readonly content: string }[];
  }): Promise<string>;
  /** The text of every records file (learning data), oldest month first; absent where a host keeps none. */
  recordFiles?(): Promise<readonly string[]>;
  /** Ids of every stored task (for inspection; the sweep uses `openTasks`). */
  list(): Promise<string[]>;
  /**
   * Ids of the tasks that may still have work: not ended, or ended with effects still owed.
   * Read from an index, so its cost does not grow with the number of tasks ever run.
   */
  openTasks(): Promise<string[]>;
  /** Which of these tasks exist. */
  existing(tasks: readonly string[]): Promise<Set<string>>;
  /**
   * When a journaled answer becomes durable: at once (`immediate`), or with the next `save`
   * (`with-next-save`; a crash before then pays for those calls again).
   */
  readonly journal: "immediate" | "with-next-save";
  /** A journaled model answer, or null. */
  readCall(options: { readonly task: string; readonly key: string }): Promise<unknown>;
  /** Journals a model answer before it is used (durable as `journal` says). */
  writeCall(options: {
    readonly task: string;
    readonly key: string;
    readonly value: unknown;
  }): Promise<void>;
}
