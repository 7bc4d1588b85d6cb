/**
 * How a process stops its task runs (SIGTERM), shared by all its engines. After `stop()` a run
 * starts no further effect and gives its lease back in its next save. `releaseHeld()` gives back
 * the leases of runs still inside an effect when the host's deadline passes, so that another
 * worker resumes them at once instead of after `leaseMs`; the host ends right after, and the
 * effect in flight is found again or redone by its key, as after a crash.
 */
export class RunStop {
  #stopping = false;
  readonly #held = new Map<symbol, () => Promise<void>>();

  /** Whether runs should stop at their next effect. */
  get stopping(): boolean {
    return this.#stopping;
  }

  stop(): void {
    this.#stopping = true;
  }

  /** Registers how to give back a running task's lease; the returned function unregisters it. */
  hold(release: () => Promise<void>): () => void {
    const key = Symbol("run");
    this.#held.set(key, release);
    return () => this.#held.delete(key);
  }

  /** Gives back every lease still held, all at once; how many were given back. */
  async releaseHeld(): Promise<number> {
    const releases = [...this.#held.values()];
    this.#held.clear();
    const results = await Promise.allSettled(releases.map((release) => release()));
    return results.filter((r) => r.status === "fulfilled").length;
  }
}
