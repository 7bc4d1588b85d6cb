import { userInfo } from "node:os";
import { summariseLedger, totalCost } from "../../core/cost/ledger.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { createLocalHost } from "../local-host.ts";
import { EXIT, type Output } from "../output.ts";

export interface TaskCommandOptions {
  readonly approve?: boolean;
  readonly reject?: boolean;
  readonly abort?: boolean;
  readonly retry?: string;
  /** Dollars to add to the task's budget (`/budget +N`). */
  readonly budget?: number;
}

/** `task ID`: shows a task, or answers its open escalation. Answering needs no model provider. */
export async function taskCommand(
  workingDir: string,
  id: string,
  options: TaskCommandOptions,
  output: Output,
): Promise<number> {
  const chosen = (
    [
      ["approve", options.approve],
      ["reject", options.reject],
      ["abort", options.abort],
      ["retry", options.retry !== undefined],
      ["budget", options.budget !== undefined],
    ] as const
  ).filter(([, on]) => on);
  if (chosen.length > 1)
    throw new InvalidInputError("task", [
      {
        path: "options",
        message: "give at most one of --approve, --reject, --abort, --retry, --budget",
      },
    ]);
  const host = await createLocalHost({ workingDir, clients: [] });
  const command = chosen[0]?.[0];
  if (command) {
    const result = await host.engine.command(id, {
      command,
      by: userInfo().username,
      ...(options.retry ? { feedback: options.retry } : {}),
      ...(options.budget !== undefined ? { amountUsd: options.budget } : {}),
    });
    if (!result.applied) {
      output.emit(result, () => `not applied: ${result.reason}`);
      return EXIT.invalid;
    }
    const next =
      result.document.outbox.length > 0 ? `\nContinue with: orchestrator run --task-id ${id}` : "";
    output.emit(
      { applied: true, state: result.document.state },
      () => `/${command} applied; ${id} is now ${result.document.state.replace(/_/g, " ")}${next}`,
    );
    return 0;
  }
  const stored = await host.store.load(id);
  if (!stored) throw new InvalidInputError("task", [{ path: "ID", message: `no task ${id}` }]);
  const doc = stored.document;
  output.emit(doc, () =>
    [
      `${doc.id}: ${doc.state} on ${doc.branch}`,
      ...doc.steps.map(
        (s) => `  ${s.id} ${s.status.padEnd(12)} ${s.description.split("\n")[0] ?? ""}`,
      ),
      doc.escalation
        ? `Needs a human (#${doc.escalation.id}, ${doc.escalation.reason}): ${doc.escalation.message}`
        : "",
      ...summariseLedger(doc.ledger).map(
        (l) =>
          `  ${l.role.padEnd(14)} ${l.label.padEnd(32)} ${l.calls} calls $${l.costUsd.toFixed(4)}`,
      ),
      `Total: $${totalCost(doc.ledger).toFixed(4)}`,
    ]
      .filter(Boolean)
      .join("\n"),
  );
  return 0;
}
