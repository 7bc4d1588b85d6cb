import type { Effort } from "../vocabulary/effort.ts";
import type { ModelInfo } from "../models/registry.ts";
import type { CallRecord } from "./ledger.ts";
import type { Role } from "../vocabulary/roles.ts";
import { costOf } from "./prices.ts";
import type { Usage } from "./usage.ts";

/** A paid call as the ledger keeps it, priced from the registry on the day it started. */
export function pricedCall(call: {
  readonly key: string;
  readonly role: Role;
  readonly model: ModelInfo;
  readonly prompt: string;
  readonly usage: Usage;
  readonly stopReason: string;
  readonly estimated?: boolean | undefined;
  /** The effort the request named; its reasoning tokens are in `usage` and priced as output. */
  readonly effort?: Effort | undefined;
  readonly startedMs: number;
  readonly endedMs: number;
}): CallRecord {
  const at = new Date(call.startedMs).toISOString();
  return {
    key: call.key,
    role: call.role,
    model: call.model.ref,
    prompt: call.prompt,
    usage: call.usage,
    costUsd: costOf(call.usage, call.model.price, at.slice(0, 10)),
    durationMs: Math.max(0, call.endedMs - call.startedMs),
    at,
    stopReason: call.stopReason,
    ...(call.estimated ? { estimated: true as const } : {}),
    ...(call.model.local ? { local: true as const } : {}),
    ...(call.effort ? { effort: call.effort } : {}),
  };
}
