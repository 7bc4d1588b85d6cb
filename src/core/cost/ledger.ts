import { Effort } from "../vocabulary/effort.ts";
import { z } from "zod";
import { Usage, addUsage, ZERO_USAGE } from "./usage.ts";
import { Role } from "../vocabulary/roles.ts";

/** One paid model call, as the ledger keeps it. */
export const CallRecord = z.strictObject({
  /** Idempotency key of the call: `<effect key>#<turn>`. */
  key: z.string(),
  role: Role,
  /** Model reference `provider/model`. */
  model: z.string(),
  /** The prompt template and its version, `id@version`. */
  prompt: z.string(),
  usage: Usage,
  costUsd: z.number().nonnegative(),
  durationMs: z.number().nonnegative(),
  at: z.string(),
  stopReason: z.string(),
  /** Transient failures retried before this answer, and how long each waited. */
  retries: z
    .array(z.strictObject({ kind: z.string(), waitMs: z.number().nonnegative() }))
    .optional(),
  /** Models tried before the one that answered (`model`), and why each was left. */
  fallback: z.array(z.strictObject({ model: z.string(), reason: z.string() })).optional(),
  /** Usage (and so cost) estimated by us: the provider did not report it. */
  estimated: z.literal(true).optional(),
  /** A model on the user's own hardware: its cost is an estimate from a configured price. */
  local: z.literal(true).optional(),
  /** The effort level the request named (absent: the provider's default). */
  effort: Effort.optional(),
});
export type CallRecord = z.infer<typeof CallRecord>;

export interface LedgerLine {
  readonly role: Role;
  readonly model: string;
  /** The model as cost tables show it: `(local)` when it runs on the user's hardware, `(estimated)` when usage was. */
  readonly label: string;
  readonly calls: number;
  readonly usage: Usage;
  readonly costUsd: number;
}

/** Totals by role and model, in the order each pair first appeared. */
export function summariseLedger(calls: readonly CallRecord[]): LedgerLine[] {
  const groups = new Map<string, CallRecord[]>();
  for (const call of calls) {
    const id = `${call.role} ${call.model}`;
    groups.set(id, [...(groups.get(id) ?? []), call]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as CallRecord;
    const tags = [
      group.some((c) => c.local) ? "local" : null,
      group.some((c) => c.estimated) ? "estimated" : null,
    ].filter((t) => t !== null);
    return {
      role: first.role,
      model: first.model,
      label: tags.length > 0 ? `${first.model} (${tags.join(", ")})` : first.model,
      calls: group.length,
      usage: group.reduce((sum, c) => addUsage(sum, c.usage), ZERO_USAGE),
      costUsd: totalCost(group),
    };
  });
}

export function totalCost(calls: readonly CallRecord[]): number {
  return roundUsd(calls.reduce((sum, c) => sum + c.costUsd, 0));
}

export function roundUsd(value: number): number {
  return Math.round(value * 1_000_000) / 1_000_000;
}
