import { createHash } from "node:crypto";
import { appendFile, mkdir, open, readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { z } from "zod";
import { CorruptStateError, StateConflictError } from "../../core/errors.ts";
import { isOpen, TaskDocument } from "../../core/task/document.ts";
import type { StateStore, Stored } from "../../ports/state-store.ts";
import { withLockFile, writeFileAtomic } from "./atomic-file.ts";

const HEADER = /^\{"checksum":"([0-9a-f]{64})","version":(\d+),/;
const Envelope = z.object({
  checksum: z.string(),
  version: z.number().int().positive(),
  document: z.unknown(),
});

/**
 * Task documents as `<dir>/state/<task>.json` with a checksum, written atomically under a lock
 * with compare-and-swap on a version number; journaled calls under `state/calls/`; run logs
 * under `runs/`.
 */
export class FileStateStore implements StateStore {
  readonly #dir: string;

  constructor(options: { readonly directory: string }) {
    this.#dir = options.directory;
  }

  async recordFiles(): Promise<readonly string[]> {
    const dir = join(this.#dir, "records");
    const files = (await readdir(dir).catch(() => [] as string[])).filter((f) =>
      f.endsWith(".jsonl"),
    );
    return Promise.all(files.sort().map((f) => readFile(join(dir, f), "utf8")));
  }

  fileOf(task: string): string {
    return join(this.#dir, "state", `${task}.json`);
  }

  async load(task: string): Promise<Stored | null> {
    const envelope = await this.#read(task);
    return envelope ? { document: envelope.document, version: String(envelope.version) } : null;
  }

  async save(options: {
    document: TaskDocument;
    expectedVersion: string | null;
    runLog: string;
    records?: { path: string; lines: readonly string[] };
    derived?: readonly { path: string; content: string }[];
  }): Promise<string> {
    const task = options.document.id;
    return withLockFile(`${this.fileOf(task)}.lock`, async () => {
      const current = await this.#readHeader(task);
      const actual = current ? String(current.version) : null;
      if (actual !== options.expectedVersion)
        throw new StateConflictError(
          task,
          numberOrNull(options.expectedVersion),
          numberOrNull(actual),
        );
      const body = JSON.stringify(options.document);
      const checksum = sha256(body);
      if (current && current.checksum === checksum) return actual ?? "0";
      const version = (current?.version ?? 0) + 1;
      // Two files cannot change at once: records go first, so a crash can repeat them, never lose them.
      if (options.records && options.records.lines.length > 0) {
        const file = join(this.#dir, options.records.path);
        await mkdir(dirname(file), { recursive: true });
        await appendFile(file, `${options.records.lines.join("\n")}\n`);
      }
      for (const file of options.derived ?? [])
        await writeFileAtomic(join(this.#dir, file.path), file.content, { durable: false });
      await writeFileAtomic(
        this.fileOf(task),
        `{"checksum":"${checksum}","version":${version},"document":${body}}\n`,
      );
      // The run log is rendered from the document, so it needs no fsync of its own.
      await writeFileAtomic(join(this.#dir, "runs", `${task}.md`), options.runLog, {
        durable: false,
      });
      return String(version);
    });
  }

  /** Answers are written to their own file at once. */
  readonly journal = "immediate";

  /** Every task: locally, reading them all is cheap and the index would be a second truth. */
  async openTasks(): Promise<string[]> {
    const open: string[] = [];
    for (const task of await this.list()) {
      const stored = await this.load(task);
      if (stored && isOpen(stored.document)) open.push(task);
    }
    return open;
  }

  async existing(tasks: readonly string[]): Promise<Set<string>> {
    const known = new Set(await this.list());
    return new Set(tasks.filter((t) => known.has(t)));
  }

  async list(): Promise<string[]> {
    const names = await readdir(join(this.#dir, "state")).catch(() => [] as string[]);
    return names
      .filter((n) => n.endsWith(".json"))
      .map((n) => n.slice(0, -5))
      .sort();
  }

  async readCall(options: { task: string; key: string }): Promise<unknown> {
    const text = await readFile(this.#callFile(options.task, options.key), "utf8").catch(
      () => null,
    );
    if (text === null) return null;
    try {
      return (JSON.parse(text) as { value: unknown }).value;
    } catch {
      return null;
    }
  }

  async writeCall(options: { task: string; key: string; value: unknown }): Promise<void> {
    await writeFileAtomic(
      this.#callFile(options.task, options.key),
      JSON.stringify({ key: options.key, value: options.value }),
    );
  }

  #callFile(task: string, key: string): string {
    return join(this.#dir, "state", "calls", task, `${sha256(key).slice(0, 40)}.json`);
  }

  /** Checksum and version from the start of the file, without parsing the document. */
  async #readHeader(task: string): Promise<{ checksum: string; version: number } | null> {
    let handle;
    try {
      handle = await open(this.fileOf(task), "r");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(128), 0, 128, 0);
      const header = HEADER.exec(buffer.subarray(0, bytesRead).toString("utf8"));
      if (header?.[1] && header[2]) return { checksum: header[1], version: Number(header[2]) };
    } finally {
      await handle.close();
    }
    return this.#read(task);
  }

  async #read(
    task: string,
  ): Promise<{ checksum: string; version: number; document: TaskDocument } | null> {
    const file = this.fileOf(task);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new CorruptStateError(file, "not valid JSON", { cause: error });
    }
    const envelope = Envelope.safeParse(raw);
    if (!envelope.success) throw new CorruptStateError(file, "missing checksum or version");
    if (sha256(JSON.stringify(envelope.data.document)) !== envelope.data.checksum)
      throw new CorruptStateError(file, "checksum mismatch");
    const document = TaskDocument.safeParse(envelope.data.document);
    if (!document.success)
      throw new CorruptStateError(
        file,
        `schema: ${document.error.issues[0]?.message ?? "invalid"}`,
      );
    return {
      checksum: envelope.data.checksum,
      version: envelope.data.version,
      document: document.data,
    };
  }
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function numberOrNull(version: string | null): number | null {
  return version === null ? null : Number(version);
}
