import type { FileChange, WorkTree } from "../../src/ports/workspace.ts";

/**
 * A work tree held in memory, for benches that run the engine's prompt and tool code without a
 * repository: reads and writes work; what only a real repository can answer
 * (commits, diffs, notes, snapshots) throws, so a bench that starts needing it fails loudly.
 */
export class MemoryTree implements WorkTree {
  readonly #files: Map<string, string>;

  constructor(files: Readonly<Record<string, string>>) {
    this.#files = new Map(Object.entries(files));
  }

  head(): Promise<string> {
    return Promise.resolve("0000000");
  }
  listFiles(options?: { readonly under?: string }): Promise<string[]> {
    const under = options?.under;
    return Promise.resolve(
      [...this.#files.keys()]
        .filter((p) => under === undefined || p.startsWith(`${under}/`))
        .sort(),
    );
  }
  readFile(path: string): Promise<string | null> {
    return Promise.resolve(this.#files.get(path) ?? null);
  }
  filesAt(): Promise<{ path: string; size: number }[]> {
    return Promise.resolve(
      [...this.#files]
        .map(([path, text]) => ({ path, size: Buffer.byteLength(text) }))
        .sort((a, b) => (a.path < b.path ? -1 : 1)),
    );
  }
  readAt(_commit: string, path: string): Promise<string | null> {
    return this.readFile(path);
  }
  readAtHead(path: string): Promise<string | null> {
    return this.readFile(path);
  }
  writeFile(path: string, content: string): Promise<void> {
    this.#files.set(path, content);
    return Promise.resolve();
  }
  deleteFile(path: string): Promise<boolean> {
    return Promise.resolve(this.#files.delete(path));
  }
  changes(): Promise<FileChange[]> {
    return Promise.resolve([]);
  }
  discardChanges(): Promise<void> {
    return Promise.resolve();
  }
  snapshot(): Promise<string> {
    return unsupported("snapshot");
  }
  restore(): Promise<boolean> {
    return unsupported("restore");
  }
  diff(): Promise<string> {
    return unsupported("diff");
  }
  filesIn(): Promise<string[]> {
    return unsupported("filesIn");
  }
  commit(): Promise<string> {
    return unsupported("commit");
  }
  noteOf(): Promise<string | null> {
    return unsupported("noteOf");
  }
  findCommit(): Promise<string | null> {
    return Promise.resolve(null);
  }
  publish(): Promise<void> {
    return Promise.resolve();
  }
}

function unsupported(what: string): Promise<never> {
  return Promise.reject(new Error(`MemoryTree cannot ${what}: use a real work tree`));
}
