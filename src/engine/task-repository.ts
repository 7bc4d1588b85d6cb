import { CorruptStateError, StateConflictError } from "../core/errors.ts";
import { readRecords, recordLines, recordsPath } from "../core/learning/records.ts";
import { renderDashboard } from "../core/report/dashboard.ts";
import { renderKnowledge } from "../core/learning/knowledge.ts";
import { taskRunLog } from "../core/report/run-log.ts";
import { TERMINAL_STATES, type TaskDocument } from "../core/task/document.ts";
import type { TaskEvent } from "../core/task/events.ts";
import { transition } from "../core/task/transition.ts";
import type { Logger } from "../ports/logger.ts";
import type { StateStore, Stored } from "../ports/state-store.ts";
import type { Leases } from "./leases.ts";

const MAX_CONFLICT_RETRIES = 8;

/** A loaded document, and whether it holds changes not saved yet. */
export interface Working extends Stored {
  readonly dirty: boolean;
}

/**
 * Task documents in the state store, with the rules every write follows: compare-and-swap on
 * the version (a lost race reloads and applies the event again, which is a no-op if the other
 * writer applied it), the run log rendered from the document, and a finished task's outcome
 * records added in the same write, once.
 */
export class TaskRepository {
  readonly #store: StateStore;
  readonly #leases: Leases;
  readonly #logger: Logger;

  constructor(options: { store: StateStore; leases: Leases; logger: Logger }) {
    this.#store = options.store;
    this.#leases = options.leases;
    this.#logger = options.logger;
  }

  async load(task: string): Promise<Working | null> {
    const stored = await this.#store.load(task);
    if (!stored) return null;
    // Saved under its own id: a document that names another task would post to that task's
    // issue and be saved over that task's file.
    if (stored.document.id !== task)
      throw new CorruptStateError(`tasks/${task}.json`, "it holds another task's id");
    return { ...stored, dirty: false };
  }

  /** Saves a new document; when another worker created it first, theirs is returned. */
  async create(document: TaskDocument): Promise<Working> {
    try {
      return await this.save(document, null);
    } catch (error) {
      if (!(error instanceof StateConflictError)) throw error;
      const winner = await this.load(document.id);
      if (!winner) throw error;
      return winner;
    }
  }

  /** Writes a document over `expectedVersion` (null: a new one). */
  async save(document: TaskDocument, expectedVersion: string | null): Promise<Working> {
    const ending = TERMINAL_STATES.has(document.state) && document.recorded !== true;
    const doc = ending
      ? { ...document, recorded: true, recordedCalls: document.ledger.length }
      : document;
    const lines = ending
      ? recordLines(doc, document.recordedCalls ?? 0).map((l) => JSON.stringify(l))
      : [];
    const derived = ending ? await this.#derived(lines, doc.updatedAt) : [];
    const version = await this.#store.save({
      document: doc,
      expectedVersion,
      runLog: taskRunLog(doc),
      ...(ending ? { records: { path: recordsPath(doc), lines } } : {}),
      ...(derived.length > 0 ? { derived } : {}),
    });
    return { document: doc, version, dirty: false };
  }

  /** The dashboard and the knowledge file, with the lines about to be written, where the store can read its records. */
  async #derived(
    lines: readonly string[],
    now: string,
  ): Promise<{ path: string; content: string }[]> {
    if (!this.#store.recordFiles) return [];
    const records = readRecords([...(await this.#store.recordFiles()), lines.join("\n")]);
    return [
      { path: "DASHBOARD.md", content: `${renderDashboard(records, now)}\n` },
      { path: "knowledge.md", content: `${renderKnowledge(records.tasks)}\n` },
    ];
  }

  /** Writes what is held in memory, if anything. */
  async flush(working: Working, document = working.document): Promise<Working> {
    if (!working.dirty && document === working.document) return working;
    return this.save(document, working.version);
  }

  /**
   * Applies an event while this worker runs the task: our lease is renewed with the save, and
   * given back by the save that empties the outbox. After a lost race the task must still be
   * free for us; `onReload` sees every document loaded on the way.
   */
  applyWhileRunning(
    working: Working,
    event: TaskEvent,
    onReload: (doc: TaskDocument) => void,
  ): Promise<Working> {
    return this.#applyAndSave(
      working,
      event,
      (doc) => (doc.outbox.length === 0 ? this.#leases.release(doc) : this.#leases.hold(doc)),
      (doc) => {
        this.#leases.assertFree(doc);
        onReload(doc);
      },
    );
  }

  /** Applies an event that does not run the task (a person's command): the lease is left as it is. */
  applyLeavingLease(working: Working, event: TaskEvent): Promise<Working> {
    return this.#applyAndSave(
      working,
      event,
      (doc) => doc,
      () => undefined,
    );
  }

  /** Applies an event from outside before running the task: takes the lease if it is free. */
  applyAndTakeIfFree(working: Working, event: TaskEvent): Promise<Working> {
    return this.#applyAndSave(
      working,
      event,
      (doc) =>
        !this.#leases.isFree(doc)
          ? doc
          : doc.outbox.length === 0
            ? this.#leases.release(doc)
            : this.#leases.hold(doc),
      () => undefined,
    );
  }

  /**
   * Applies an event in memory only, for results that are found again by their key after a
   * crash; the next save writes it.
   */
  applyInMemory(working: Working, event: TaskEvent): Working {
    const next = transition(working.document, event).state;
    const document =
      next.outbox.length === 0 ? this.#leases.release(next) : this.#leases.hold(next);
    return { ...working, document, dirty: working.dirty || document !== working.document };
  }

  async #applyAndSave(
    stored: Working,
    event: TaskEvent,
    lease: (doc: TaskDocument) => TaskDocument,
    onReload: (doc: TaskDocument) => void,
  ): Promise<Working> {
    let current = stored;
    for (let attempt = 0; ; attempt++) {
      const document = lease(transition(current.document, event).state);
      if (document === current.document && !current.dirty) return current;
      try {
        return await this.save(document, current.version);
      } catch (error) {
        if (!(error instanceof StateConflictError) || attempt >= MAX_CONFLICT_RETRIES) throw error;
        this.#logger.warn({ task: document.id, attempt }, "state save lost a race, reloading");
        const reloaded = await this.#store.load(document.id);
        if (!reloaded) throw error;
        onReload(reloaded.document);
        current = { ...reloaded, dirty: false };
      }
    }
  }
}
