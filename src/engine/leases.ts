import { LeaseHeldError } from "../core/errors.ts";
import type { TaskDocument } from "../core/task/document.ts";
import type { Clock } from "../ports/clock.ts";

export interface LeaseSettings {
  /** Who runs tasks here. */
  readonly owner: string;
  readonly leaseMs: number;
  /** Whether a lease's owner may still be working (false lets a lease of a dead process go at once). */
  readonly ownerAlive: (owner: string) => boolean;
}

/**
 * One worker per task: a lease (`owner`, `until`) in the document, written with the same
 * compare-and-swap as everything else. These are the decisions about it; saving is the
 * repository's.
 */
export class Leases {
  readonly #settings: LeaseSettings;
  readonly #clock: Clock;

  constructor(settings: LeaseSettings, clock: Clock) {
    this.#settings = settings;
    this.#clock = clock;
  }

  get owner(): string {
    return this.#settings.owner;
  }

  /** The document with our lease, running `leaseMs` from now (renewing it if ours). */
  hold(doc: TaskDocument): TaskDocument {
    const until = new Date(this.#clock.now() + this.#settings.leaseMs).toISOString();
    if (doc.lease?.owner === this.owner && doc.lease.until === until) return doc;
    return { ...doc, lease: { owner: this.owner, until } };
  }

  /** The document with no lease. */
  release(doc: TaskDocument): TaskDocument {
    return doc.lease === null ? doc : { ...doc, lease: null };
  }

  /** Ours, with at least half its time left: no need to renew before working. */
  isFresh(doc: TaskDocument): boolean {
    return (
      doc.lease?.owner === this.owner &&
      Date.parse(doc.lease.until) - this.#clock.now() > this.#settings.leaseMs / 2
    );
  }

  /** Whether we may take the lease: none, ours, expired, or left by an owner that is gone. */
  isFree(doc: TaskDocument): boolean {
    const lease = doc.lease;
    return (
      !lease ||
      lease.owner === this.owner ||
      Date.parse(lease.until) <= this.#clock.now() ||
      !this.#settings.ownerAlive(lease.owner)
    );
  }

  /** Throws `LeaseHeldError` when another live worker holds the task. */
  assertFree(doc: TaskDocument): void {
    if (this.isFree(doc) || !doc.lease) return;
    throw new LeaseHeldError(doc.id, doc.lease.owner, doc.lease.until);
  }
}
