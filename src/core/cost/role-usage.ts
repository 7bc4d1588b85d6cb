import type { Role } from "../vocabulary/roles.ts";
import { costOf, type Price } from "./prices.ts";
import type { Usage } from "./usage.ts";

/**
 * Tokens one task typically spends in a role: only to compare candidates' list prices before a
 * repository has records of its own (not a budget). Real tasks cost what the records say.
 */
export const ROLE_USAGE: Record<Role, Usage> = {
  planner: { input: { noCache: 8_000, cacheRead: 0, cacheWrite: 0 }, output: 1_500 },
  plan_reviewer: { input: { noCache: 6_000, cacheRead: 0, cacheWrite: 0 }, output: 800 },
  implementer: { input: { noCache: 30_000, cacheRead: 60_000, cacheWrite: 0 }, output: 6_000 },
  code_reviewer: { input: { noCache: 12_000, cacheRead: 0, cacheWrite: 0 }, output: 1_000 },
  fixer: { input: { noCache: 20_000, cacheRead: 40_000, cacheWrite: 0 }, output: 3_000 },
};

/** The list price of one typical task of `role` at `price`, on `day` (announced changes apply). */
export function tableCost(price: Price, role: Role, day?: string, outputFactor = 1): number {
  const usage = ROLE_USAGE[role];
  return costOf({ ...usage, output: Math.round(usage.output * outputFactor) }, price, day);
}
