import type { TaskDocument } from "../task/document.ts";

/**
 * The learning data of a finished task: one JSON line per paid call, with the task's outcome,
 * so routing can later learn which model does best by role, risk and area.
 */
export function outcomeRecords(doc: TaskDocument): string[] {
  return doc.ledger.map((call) =>
    JSON.stringify({
      task: doc.id,
      outcome: doc.state,
      risk: doc.definition.risk,
      area: doc.definition.area,
      complexity: doc.definition.complexity,
      role: call.role,
      model: call.model,
      prompt: call.prompt,
      usage: call.usage,
      costUsd: call.costUsd,
      durationMs: call.durationMs,
      stopReason: call.stopReason,
      at: call.at,
      finishedAt: doc.updatedAt,
      gateRuns: doc.gate.runs,
      reviewRounds: doc.steps.reduce((sum, s) => sum + s.reviewRounds, 0),
    }),
  );
}

/** `records/<yyyy-mm>.jsonl`, by the month the task finished. */
export function recordsPath(doc: TaskDocument): string {
  return `records/${doc.updatedAt.slice(0, 7)}.jsonl`;
}
