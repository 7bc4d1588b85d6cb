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
  }): Promise<string>;
  /** Ids of every stored task. */
  list(): Promise<string[]>;
  /** A journaled model answer, or null. */
  readCall(options: { readonly task: string; readonly key: string }): Promise<unknown>;
  /** Journals a model answer before it is used, so a crash never pays for it twice. */
  writeCall(options: {
    readonly task: string;
    readonly key: string;
    readonly value: unknown;
  }): Promise<void>;
}
