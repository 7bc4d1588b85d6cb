import { totalCost } from "../cost/ledger.ts";
import type { TaskDocument } from "../task/document.ts";
import { nextStep } from "./comments.ts";
import { modelLine, quoteModelText, sameProviderNotes, usd } from "./format.ts";

const MARK: Record<string, string> = {
  completed: "[x]",
  skipped: "[-]",
  failed: "[!]",
};

/** The sticky status: state, checklist of steps, models by role, cost so far. */
export function statusBody(doc: TaskDocument): string {
  const steps = doc.steps
    .map(
      (s, i) =>
        `- ${MARK[s.status] ?? "[ ]"} ${s.id} ${modelLine(s.description.split("\n")[0] ?? "")}${i === doc.currentStep && !MARK[s.status] ? ` _(${s.status})_` : ""}`,
    )
    .join("\n");
  const models = doc.routing
    ? Object.values(doc.routing)
        .map((d) => `${d.role}: ${d.model}`)
        .join(" · ")
    : "not routed yet";
  const waiting = `\n\n${whatNext(doc)}`;
  const notes = [
    ...sameProviderNotes(doc),
    ...(doc.gate.rerunRefused
      ? [
          `Failed CI jobs are not run again before a fix: ${doc.gate.rerunRefused}. Granting the app Actions (write) lets a flaky or cancelled job run once more first.`,
        ]
      : []),
  ]
    .map((n) => `\n${n}`)
    .join("");
  return `**${doc.id}**: ${doc.state.replace(/_/g, " ")}${waiting}${handBack(doc)}\n\n${steps || "_no plan yet_"}\n\nModels: ${models}${notes}\n${costLine(doc)}`;
}

/** Why the task stopped or paused, and what a person can do next; the way on for a running one. */
function whatNext(doc: TaskDocument): string {
  const reason = finishNote(doc);
  switch (doc.state) {
    case "awaiting_human": {
      const e = doc.escalation;
      if (!e) return "Waiting for a human.";
      return `Waiting for a human: ${e.reason.replace(/_/g, " ")}. ${nextStep(e.reason)} \`/reject\` stops the task, \`/abort\` cancels it.`;
    }
    case "done":
      return `Done: ${reason}. Next: review the pull request and merge it; review comments on it start another round.`;
    case "failed":
      return `Failed: ${reason}. Next: label the issue again to start over.`;
    case "cancelled":
      return `Cancelled: ${reason}. Next: label the issue again to start over.`;
    default:
      return doc.completing
        ? `Finishing (${doc.completing}): reading the pull request back before saying done.`
        : "Working; `/abort` stops it.";
  }
}

/** The reason `finish` wrote into the history (`Task T1 done: quality gate passed`). */
function finishNote(doc: TaskDocument): string {
  const prefix = `Task ${doc.id} ${doc.state}: `;
  const note = [...doc.history].reverse().find((h) => h.message.startsWith(prefix));
  return note ? note.message.slice(prefix.length) : doc.state;
}

/** Spend against the budget, with a warning from 80 %. */
function costLine(doc: TaskDocument): string {
  const spent = totalCost(doc.ledger);
  const budget = doc.limits.budgetUsd;
  const local = doc.ledger.some((c) => c.local) ? " (local models estimated)" : "";
  if (budget === null || doc.budgetWaived)
    return `Cost so far: ${usd(spent)}${local}${budget !== null ? " (budget lifted)" : ""}`;
  const share = spent / budget;
  const line = `Cost so far: ${usd(spent)} of the ${usd(budget)} budget (${Math.floor(share * 100)}%)${local}`;
  return share >= 0.8 && doc.escalation?.reason !== "budget_reached"
    ? `${line}\n\n> [!WARNING]\n> ${Math.floor(share * 100)}% of this task's budget is spent. \`/budget +N\` raises it before the task has to stop.`
    : line;
}

/** What a task stopped by its budget hands back: what is done, what is next, and how to go on. */
function handBack(doc: TaskDocument): string {
  const e = doc.escalation;
  if (doc.state !== "awaiting_human" || !e) return "";
  if (e.reason !== "budget_reached" && e.reason !== "tool_limit") return "";
  const budget = e.reason === "budget_reached";
  const done = doc.steps.filter((s) => s.status === "completed").map((s) => s.id);
  const next = e.blocked ? nextWork(doc, e.blocked) : "the next model call";
  const left =
    doc.planEstimate && doc.limits.budgetUsd !== null
      ? ` The plan was estimated at ${usd(doc.planEstimate.lowUsd)}–${usd(doc.planEstimate.highUsd)}.`
      : "";
  return [
    "",
    budget
      ? `Stopped before a call that could cross the budget: ${quoteModelText(e.message)}`
      : `Stopped at a cap: ${quoteModelText(e.message)}`,
    `- Done: ${done.length > 0 ? `${done.join(", ")} (committed and pushed on \`${doc.branch}\`)` : "no step yet"}${doc.plan ? "; the plan is kept" : ""}`,
    budget
      ? `- Next: ${next}; the calls it already paid for are kept and not paid again`
      : `- Next: ${next}, again from a clean work tree (its unfinished edits were not committed)`,
    `- Spent: ${usd(totalCost(doc.ledger))}${doc.limits.budgetUsd === null ? "" : ` of ${usd(doc.limits.budgetUsd)}`}.${left}`,
    budget
      ? `- To go on: \`/budget +N\` (N dollars more; locally \`orchestrator task ${doc.id} --budget N\`), or \`/approve\` to lift the budget for this task.`
      : `- To go on: \`/retry <feedback>\` to try the step again with your guidance (e.g. a smaller scope), or \`/reject\`.`,
  ].join("\n");
}

function nextWork(
  doc: TaskDocument,
  effect: NonNullable<TaskDocument["escalation"]>["blocked"],
): string {
  if (!effect) return "the next model call";
  const step = "step" in effect ? doc.steps[effect.step]?.id : undefined;
  switch (effect.kind) {
    case "call_planner":
      return "planning";
    case "call_plan_reviewer":
      return "the plan review";
    case "implement_step":
      return `${step ?? "a step"}, ${effect.role === "fixer" ? "fixing the quality gate" : "implementing"}`;
    case "call_code_reviewer":
      return `the code review of ${step ?? "a step"}`;
    default:
      return effect.kind.replace(/_/g, " ");
  }
}
