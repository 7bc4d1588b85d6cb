import { roundUsd } from "../../core/cost/ledger.ts";
import type { StateStore } from "../../ports/state-store.ts";

/** What the stored tasks' ledgers spent on a UTC day: where a day budget's count starts. */
export function spentOnDay(store: StateStore): (day: string) => Promise<number> {
  return async (day) => {
    let spent = 0;
    for (const id of await store.list()) {
      const stored = await store.load(id);
      for (const call of stored?.document.ledger ?? [])
        if (call.at.startsWith(day)) spent += call.costUsd;
    }
    return roundUsd(spent);
  };
}
