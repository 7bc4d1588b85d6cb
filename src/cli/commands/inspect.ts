import { summariseLedger, totalCost } from "../../core/cost/ledger.ts";
import { TERMINAL_STATES, TaskState, type TaskDocument } from "../../core/task/document.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { FileStateStore } from "../../adapters/local/file-state-store.ts";
import type { Output } from "../output.ts";
import { join } from "node:path";

export async function loadAll(workingDir: string): Promise<TaskDocument[]> {
  const store = new FileStateStore({ directory: join(workingDir, ".orchestrator") });
  const docs: TaskDocument[] = [];
  for (const id of await store.list()) {
    const stored = await store.load(id);
    if (stored) docs.push(stored.document);
  }
  return docs;
}

function line(d: TaskDocument): string {
  return `${d.id.padEnd(20)} ${d.state.padEnd(15)} $${totalCost(d.ledger).toFixed(4).padStart(8)}  ${d.definition.goal.split("\n")[0]?.slice(0, 60) ?? ""}`;
}

/** `list-tasks [--state S]` */
export async function listTasks(
  workingDir: string,
  state: string | undefined,
  output: Output,
): Promise<number> {
  if (state !== undefined && !TaskState.safeParse(state).success) {
    throw new InvalidInputError("--state", [
      {
        path: "--state",
        message: `unknown state '${state}'; one of ${TaskState.options.join(", ")}`,
      },
    ]);
  }
  const docs = (await loadAll(workingDir)).filter((d) => state === undefined || d.state === state);
  output.emit(
    docs.map((d) => ({ id: d.id, state: d.state, branch: d.branch, costUsd: totalCost(d.ledger) })),
    () => docs.map(line).join("\n") || "no tasks",
  );
  return 0;
}

/** `active`: tasks still in progress (neither ended nor waiting for a human). */
export async function activeTasks(workingDir: string, output: Output): Promise<number> {
  const docs = (await loadAll(workingDir)).filter(
    (d) => !TERMINAL_STATES.has(d.state) && d.state !== "awaiting_human",
  );
  output.emit(
    docs.map((d) => ({
      id: d.id,
      state: d.state,
      step: d.currentStep === null ? null : d.steps[d.currentStep]?.id,
      lease: d.lease,
    })),
    () => docs.map(line).join("\n") || "no active tasks",
  );
  return 0;
}

/** `review`: tasks waiting for a human, with why. */
export async function reviewQueue(workingDir: string, output: Output): Promise<number> {
  const docs = (await loadAll(workingDir)).filter((d) => d.state === "awaiting_human");
  output.emit(
    docs.map((d) => ({ id: d.id, escalation: d.escalation })),
    () =>
      docs
        .map(
          (d) =>
            `${d.id}: ${d.escalation?.reason ?? "?"} (#${d.escalation?.id ?? "?"})\n  ${d.escalation?.message.split("\n").join("\n  ") ?? ""}\n  orchestrator task ${d.id} --approve | --retry "feedback" | --reject | --abort`,
        )
        .join("\n\n") || "nothing waits for a human",
  );
  return 0;
}

/** `summary`: tasks by state and spend by role and model. */
export async function summary(workingDir: string, output: Output): Promise<number> {
  const docs = await loadAll(workingDir);
  const byState: Record<string, number> = {};
  for (const d of docs) byState[d.state] = (byState[d.state] ?? 0) + 1;
  const ledger = summariseLedger(docs.flatMap((d) => d.ledger));
  const total = docs.reduce((sum, d) => sum + totalCost(d.ledger), 0);
  output.emit({ tasks: docs.length, byState, costUsd: total, ledger }, () =>
    [
      `Tasks: ${docs.length} (${
        Object.entries(byState)
          .map(([s, n]) => `${s} ${n}`)
          .join(", ") || "none"
      })`,
      `Cost: $${total.toFixed(4)}`,
      ...ledger.map(
        (l) =>
          `  ${l.role.padEnd(14)} ${l.label.padEnd(32)} ${String(l.calls).padStart(4)} calls  $${l.costUsd.toFixed(4)}`,
      ),
    ].join("\n"),
  );
  return 0;
}
