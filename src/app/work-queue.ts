import type { Logger } from "../ports/logger.ts";

export interface QueueLimits {
  /** Jobs running at once for one installation. */
  readonly perInstallation: number;
  /** Jobs running at once in this process. */
  readonly overall: number;
}

/**
 * Runs webhook work after the webhook is acknowledged, with bounded concurrency per
 * installation and overall. A delivery whose work finished is not run again; a redelivery of
 * one that did not finish (it failed, or the process died) runs.
 */
export class WorkQueue {
  readonly #limits: QueueLimits;
  readonly #log: Logger;
  readonly #finished = new Set<string>();
  readonly #waiting: { installation: number; delivery: string; job: () => Promise<void> }[] = [];
  readonly #running = new Map<number, number>();
  #active = 0;
  #idle: (() => void)[] = [];

  constructor(options: { readonly limits: QueueLimits; readonly logger: Logger }) {
    this.#limits = options.limits;
    this.#log = options.logger;
  }

  /** Queues a job; false when this delivery already finished. Returns at once. */
  enqueue(installation: number, delivery: string, job: () => Promise<void>): boolean {
    if (this.#finished.has(delivery)) return false;
    this.#waiting.push({ installation, delivery, job });
    // Not a synchronous start: the webhook is acknowledged before any of its work begins.
    setImmediate(() => {
      this.#pump();
    });
    return true;
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.#active === 0 && this.#waiting.length === 0)
      return new Promise((resolve) => setImmediate(resolve));
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #pump(): void {
    for (let i = 0; i < this.#waiting.length && this.#active < this.#limits.overall;) {
      const item = this.#waiting[i];
      if (!item || (this.#running.get(item.installation) ?? 0) >= this.#limits.perInstallation) {
        i++;
        continue;
      }
      this.#waiting.splice(i, 1);
      this.#start(item);
    }
    if (this.#active === 0 && this.#waiting.length === 0)
      for (const resolve of this.#idle.splice(0)) resolve();
  }

  #start(item: { installation: number; delivery: string; job: () => Promise<void> }): void {
    this.#active += 1;
    this.#running.set(item.installation, (this.#running.get(item.installation) ?? 0) + 1);
    void item
      .job()
      .then(
        () => this.#remember(item.delivery),
        (error: unknown) => {
          this.#log.error({ delivery: item.delivery, err: error }, "webhook work failed");
        },
      )
      .finally(() => {
        this.#active -= 1;
        this.#running.set(item.installation, (this.#running.get(item.installation) ?? 1) - 1);
        this.#pump();
      });
  }

  #remember(delivery: string): void {
    this.#finished.add(delivery);
    if (this.#finished.size > 10_000) {
      const oldest = this.#finished.values().next().value;
      if (oldest !== undefined) this.#finished.delete(oldest);
    }
  }
}
