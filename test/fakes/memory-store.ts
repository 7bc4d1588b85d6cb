import { StateConflictError } from "../../src/core/errors.ts";
import { isOpen, type TaskDocument } from "../../src/core/task/document.ts";
import type { StateStore, Stored } from "../../src/ports/state-store.ts";

/** A state store in memory, with what each save wrote, for unit tests of the engine's parts. */
export class MemoryStore implements StateStore {
  readonly journal = "immediate";
  readonly docs = new Map<string, Stored>();
  readonly runLogs = new Map<string, string>();
  readonly records: string[] = [];
  readonly calls = new Map<string, unknown>();
  saves = 0;
  /** Called before a save is checked: lets a test write first, as another worker would. */
  beforeSave: ((task: string) => void) | null = null;

  load(task: string): Promise<Stored | null> {
    return Promise.resolve(this.docs.get(task) ?? null);
  }

  save(options: {
    document: TaskDocument;
    expectedVersion: string | null;
    runLog: string;
    records?: { path: string; lines: readonly string[] };
  }): Promise<string> {
    const task = options.document.id;
    this.beforeSave?.(task);
    const current = this.docs.get(task)?.version ?? null;
    if (current !== options.expectedVersion)
      return Promise.reject(new StateConflictError(task, null, null));
    const version = String(Number(current ?? 0) + 1);
    this.docs.set(task, { document: structuredClone(options.document), version });
    this.runLogs.set(task, options.runLog);
    this.records.push(...(options.records?.lines ?? []));
    this.saves += 1;
    return Promise.resolve(version);
  }

  /** Another worker's write, straight to storage. */
  put(document: TaskDocument): void {
    const version = String(Number(this.docs.get(document.id)?.version ?? 0) + 1);
    this.docs.set(document.id, { document, version });
  }

  list(): Promise<string[]> {
    return Promise.resolve([...this.docs.keys()].sort());
  }

  openTasks(): Promise<string[]> {
    return Promise.resolve(
      [...this.docs.values()].filter((s) => isOpen(s.document)).map((s) => s.document.id),
    );
  }

  existing(tasks: readonly string[]): Promise<Set<string>> {
    return Promise.resolve(new Set(tasks.filter((t) => this.docs.has(t))));
  }

  readCall(options: { task: string; key: string }): Promise<unknown> {
    return Promise.resolve(this.calls.get(options.key) ?? null);
  }

  writeCall(options: { task: string; key: string; value: unknown }): Promise<void> {
    this.calls.set(options.key, structuredClone(options.value));
    return Promise.resolve();
  }
}
