import type { CallRecord } from "../../cost/ledger.ts";
import { note, type Draft } from "../context.ts";
import type { Effect } from "../effects.ts";
import type { EffectOutcome } from "../events.ts";
import { toolLogEntry } from "../tool-log.ts";

/**
 * What any effect's outcome brings besides its answer: the model calls made on the way (into the
 * ledger, each with its fallbacks and retries in the history, once per key) and an
 * implementation's tool calls.
 */
export function recordOutcome(draft: Draft, effect: Effect, outcome: EffectOutcome): void {
  if ("calls" in outcome) recordCalls(draft, outcome.calls);
  if (effect.kind === "implement_step" && "tools" in outcome && outcome.tools.length > 0) {
    const step = draft.doc.steps[effect.step];
    const entry = toolLogEntry(
      `${effect.role} ${step?.id ?? "?"} attempt ${step?.attempt ?? 0}`,
      outcome.tools,
    );
    note(draft, "llm_call", entry.level, entry.message, entry.details);
  }
}

function recordCalls(draft: Draft, calls: readonly CallRecord[]): void {
  const known = new Set(draft.doc.ledger.map((c) => c.key));
  for (const call of calls) {
    if (known.has(call.key)) continue;
    draft.doc.ledger.push(call);
    for (const left of call.fallback ?? [])
      note(
        draft,
        "routing",
        "warning",
        `[${call.role}] ${left.model} did not answer (${left.reason}); ${call.model} answered instead`,
      );
    if (call.retries && call.retries.length > 0)
      note(
        draft,
        "retry",
        "warning",
        `[${call.role}] ${call.model} answered after ${call.retries.length} ${call.retries.length === 1 ? "retry" : "retries"}: ${call.retries.map((r) => `${r.kind} (waited ${(r.waitMs / 1000).toFixed(1)}s)`).join(", ")}`,
      );
    note(
      draft,
      "llm_call",
      "success",
      `LLM call [${call.role}] ${call.model}${call.effort ? ` at effort ${call.effort}` : ""} (cost=$${call.costUsd.toFixed(4)}${call.estimated ? " estimated" : ""}${call.usage.reasoning ? `, ${call.usage.reasoning} reasoning tokens` : ""}, ${(call.durationMs / 1000).toFixed(1)}s, ${call.prompt})`,
    );
  }
}
