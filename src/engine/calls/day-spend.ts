import { BudgetExceededError } from "../../core/errors.ts";
import { roundUsd } from "../../core/cost/ledger.ts";

/** A budget per UTC day for a repository or an installation. */
export interface DayLimit {
  readonly scope: "repository" | "installation";
  /** Which repository or installation (`owner/repo`, an installation id). */
  readonly key: string;
  readonly limitUsd: number;
  /** What was already spent on `day` before this process counted (from stored ledgers). */
  readonly seed?: (day: string) => Promise<number>;
}

/** Dollars held for a call until it is settled with its real cost. */
export interface Hold {
  /** The dollars held. */
  readonly usd: number;
  settle(costUsd: number): void;
}

interface Tally {
  spent: number;
  held: number;
}

/**
 * What each repository and installation spent today, shared by the tasks of the process. A
 * call holds its most expensive outcome before it is made and is refused when that could pass
 * a day budget; it settles with its real cost. Counts start from the stored ledgers (`seed`),
 * so a restart does not forget the day; several replicas each count their own calls.
 */
export class DaySpend {
  readonly #counts = new Map<string, Tally>();
  readonly #seeding = new Map<string, Promise<void>>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** Holds `maxUsd` under every limit, or throws `BudgetExceededError` naming the first it would pass. */
  async hold(limits: readonly DayLimit[], maxUsd: number): Promise<Hold> {
    const day = this.#day();
    const tallies = await this.#tallies(limits, day);
    limits.forEach((limit, i) => {
      const tally = tallies[i] as Tally;
      if (tally.spent + tally.held + maxUsd > limit.limitUsd)
        throw new BudgetExceededError(
          limit.scope,
          `the ${limit.scope} ${limit.key} has spent $${roundUsd(tally.spent + tally.held).toFixed(4)} of its $${limit.limitUsd.toFixed(4)} budget for ${day}; this call could cost up to $${roundUsd(maxUsd).toFixed(4)}`,
        );
    });
    return this.#take(tallies, maxUsd);
  }

  /**
   * Holds all that every limit still allows (the least of them), for a call with no bound of
   * its own that is stopped at what it was given; throws when a limit has nothing left.
   */
  async holdRest(limits: readonly DayLimit[]): Promise<Hold> {
    const day = this.#day();
    const tallies = await this.#tallies(limits, day);
    const rest = limits.map((limit, i) => {
      const tally = tallies[i] as Tally;
      return roundUsd(limit.limitUsd - tally.spent - tally.held);
    });
    const spent = rest.findIndex((usd) => usd <= 0);
    const limit = limits[spent];
    if (limit)
      throw new BudgetExceededError(
        limit.scope,
        `the ${limit.scope} ${limit.key} has nothing left of its $${limit.limitUsd.toFixed(4)} budget for ${day}`,
      );
    return this.#take(tallies, Math.min(...rest));
  }

  #day(): string {
    return new Date(this.#now()).toISOString().slice(0, 10);
  }

  async #tallies(limits: readonly DayLimit[], day: string): Promise<Tally[]> {
    const tallies: Tally[] = [];
    for (const limit of limits) tallies.push(await this.#tally(limit, day));
    return tallies;
  }

  #take(tallies: readonly Tally[], maxUsd: number): Hold {
    for (const tally of tallies) tally.held += maxUsd;
    let settled = false;
    return {
      usd: maxUsd,
      settle: (costUsd) => {
        if (settled) return;
        settled = true;
        for (const tally of tallies) {
          tally.held -= maxUsd;
          tally.spent += costUsd;
        }
      },
    };
  }

  /** Dollars counted today under a key (for status and tests). */
  spentToday(key: string): number {
    return roundUsd(this.#counts.get(`${key}@${this.#day()}`)?.spent ?? 0);
  }

  async #tally(limit: DayLimit, day: string): Promise<Tally> {
    const id = `${limit.key}@${day}`;
    if (!this.#counts.has(id)) {
      let seeding = this.#seeding.get(id);
      if (!seeding) {
        seeding = (async () => {
          const spent = limit.seed ? await limit.seed(day) : 0;
          if (!this.#counts.has(id)) this.#counts.set(id, { spent, held: 0 });
        })();
        this.#seeding.set(id, seeding);
        seeding.finally(() => this.#seeding.delete(id)).catch(() => undefined);
      }
      await seeding;
    }
    return this.#counts.get(id) as Tally;
  }
}
