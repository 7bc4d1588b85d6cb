import { summariseLedger, totalCost } from "../cost/ledger.ts";
import type { Plan, PlanReview } from "../plan/plan.ts";
import type { EscalationReason, TaskDocument } from "../task/document.ts";
import { escalationRow } from "../task/escalations.ts";
import { formatProblems, type InvalidInputError } from "../errors.ts";
import {
  bullets,
  codeBlock,
  inlineCode,
  modelLine,
  quoteModelText,
  sameProviderNotes,
  usd,
} from "./format.ts";
import { inlineText } from "../text/inline-markdown.ts";

export function planComment(doc: TaskDocument, plan: Plan): string {
  const steps = plan.steps
    .map(
      (s) =>
        `- **${s.id}** ${s.type} (${s.risk} risk, ${s.complexity}): ${modelLine(s.description)}${s.files.length > 0 ? `\n  files: ${s.files.map((f) => inlineCode(f, { inTable: false })).join(", ")}` : ""}`,
    )
    .join("\n");
  const notes = sameProviderNotes(doc)
    .map((n) => `\n\n> ${n}`)
    .join("");
  return `### Plan v${doc.planAttempt} by ${doc.routing?.planner.model ?? "?"}\n\n${quoteModelText(plan.summary)}\n\n${steps}${estimateLine(doc)}${notes}`;
}

/** The plan's estimated cost beside the budget; approving the plan approves that budget. */
function estimateLine(doc: TaskDocument): string {
  const e = doc.planEstimate;
  if (!e) return "";
  const budget =
    doc.limits.budgetUsd === null || doc.budgetWaived
      ? "no budget limit"
      : `budget ${usd(doc.limits.budgetUsd)}`;
  return `\n\nEstimated cost of these steps at list prices: ${usd(e.lowUsd)}–${usd(e.highUsd)} (${usd(e.lowUsd)} if each step passes review the first time, up to ${usd(e.highUsd)} if every review round and gate fix is used; ${budget}; ${usd(totalCost(doc.ledger))} spent so far).`;
}

export function planReviewComment(doc: TaskDocument, review: PlanReview): string {
  const s = review.scores;
  return [
    `### Plan review: ${review.status} (by ${doc.routing?.plan_reviewer.model ?? "?"})`,
    `Completeness ${s.completeness}/10 · feasibility ${s.feasibility}/10 · risk assessment ${s.risk_assessment}/10`,
    `**Missing steps**\n${bullets(review.missing_steps)}`,
    `**Concerns**\n${bullets(review.concerns)}`,
    `**Suggestions**\n${bullets(review.suggestions)}`,
  ].join("\n\n");
}

/**
 * What a person can answer to an escalation of this reason, in one sentence: what they do first,
 * if anything, then what `/approve` and `/retry <feedback>` do (the words of its row in
 * `ESCALATIONS`; only real commands, which `app/commands.ts` parses).
 */
export function nextStep(reason: EscalationReason): string {
  const a = escalationRow(reason);
  const budget =
    reason === "budget_reached"
      ? "`/budget +N` adds N dollars and goes on from where it stopped (calls already paid for are not paid again); "
      : "";
  return `${a.before ? `${a.before} ` : ""}${budget}\`/approve\` ${a.approve.says}; \`/retry <feedback>\` ${a.retry.says}.`;
}

/**
 * The one comment that asks for action: an `IMPORTANT` alert with the reason and every command
 * that answers it (what each does here), then the message, and the failing CI runs when the
 * gate is what stopped the task.
 */
export function escalationComment(doc: TaskDocument): string {
  const e = doc.escalation;
  if (!e) return "";
  const a = escalationRow(e.reason);
  const commands = [
    ...(e.reason === "budget_reached" || doc.limits.budgetUsd !== null
      ? [
          `\`/budget +N\` adds N dollars to the budget${e.reason === "budget_reached" ? " and goes on from where it stopped (calls already paid for are not paid again)" : ""}`,
        ]
      : []),
    `\`/approve\` ${a.approve.says}`,
    `\`/retry <feedback>\` ${a.retry.says}`,
    "`/reject` stops here; the task fails",
    "`/abort` cancels the task",
    "`/status` refreshes the status comment",
  ];
  const alert = [
    `**Needs a human: ${e.reason.replace(/_/g, " ")}.** ${a.before ? `${a.before} Then answer` : "Answer"} with one command in a new comment:`,
    ...commands.map((c) => `- ${c}`),
  ];
  const runs = failingRuns(doc);
  return [
    `### Needs a human: ${e.reason.replace(/_/g, " ")}`,
    ["> [!IMPORTANT]", ...alert.map((l) => `> ${l}`)].join("\n"),
    quoteModelText(e.message),
    ...(runs.length > 0 ? [`Failing CI: ${runs.join(", ")}`] : []),
  ].join("\n\n");
}

/** Links to the failed checks of the last gate result, when the gate is red. */
function failingRuns(doc: TaskDocument): string[] {
  const last = doc.gate.results.at(-1);
  if (!last || last.passed) return [];
  return last.checks
    .filter((c) => !c.passed && c.url && /^https:\/\/[^\s<>()[\]]+$/.test(c.url))
    .map((c) => `[${inlineText(c.name)}](${c.url ?? ""})`);
}

export function summaryComment(doc: TaskDocument): string {
  const ledger = summariseLedger(doc.ledger)
    .map((l) => `| ${l.role} | ${l.label} | ${l.calls} | ${usd(l.costUsd)} |`)
    .join("\n");
  const steps = doc.steps
    .map(
      (s) =>
        `- ${s.id}: ${s.status}, ${s.commits.length} commit(s), ${s.reviewRounds} change request(s)`,
    )
    .join("\n");
  return [
    `### Finished: ${doc.state}`,
    `Branch \`${doc.branch}\` at \`${doc.headCommit ?? "?"}\``,
    steps,
    `| role | model | calls | cost |\n|---|---|---|---|\n${ledger}`,
    `Total: ${usd(totalCost(doc.ledger))}`,
  ].join("\n\n");
}

/** The one comment an invalid `.github/orchestrator.yml` gets; the problems are shown as code. */
export function configProblemsComment(error: InvalidInputError): string {
  return `### orchestrator cannot start: \`${error.source}\` is invalid\n\n${codeBlock(formatProblems(error.problems))}\n\nFix the file on the default branch and label the issue again.`;
}

/** The one comment an issue whose task cannot be read gets; the problems are shown as code. */
export function intakeProblemsComment(error: InvalidInputError): string {
  return `### orchestrator cannot start this task\n\n${codeBlock(formatProblems(error.problems))}\n\nEdit the issue and label it again.`;
}

/** Asked of a labelled issue the sweep will not start on its own. */
export function relabelComment(label: string, why: "edited" | "labeller"): string {
  const reason =
    why === "edited"
      ? "the issue was edited after it was labelled"
      : "the label was not added by someone with write access";
  return `### orchestrator did not start this task\n\nIt was not started because ${reason}. Someone with write access can remove the \`${label}\` label and add it again to start it as it reads now.`;
}

/**
 * A task the sweep could not load (`load`) or move on (`advance`): the one word a person gets,
 * posted once per task whatever the sweeps after. `error` is the failure's class name, never its
 * message (which may quote the stored document).
 */
export function stuckTaskComment(
  task: string,
  what: "load" | "advance",
  stateBranch: string,
  error: string,
): string {
  const problem =
    what === "load"
      ? `its stored document (\`tasks/${task}.json\` on \`${stateBranch}\`) cannot be read`
      : "running it failed";
  return `### Needs a human: task stuck\n\nThe sweep cannot go on with this task: ${problem} (${error}). The App's log has the details. Nothing is done for it until that is put right; the next sweep then goes on by itself. To start over instead, remove the label and add it again.`;
}
