import { summariseLedger, totalCost } from "../cost/ledger.ts";
import type { TaskDocument } from "../task/document.ts";
import { inlineCode, modelCell, quoteModelText, usd } from "./format.ts";

export function pullRequestTitle(doc: TaskDocument): string {
  const first = doc.title ?? doc.definition.goal.split("\n")[0]?.trim() ?? doc.id;
  return first.length <= 72 ? first : `${first.slice(0, 71).replace(/\s+\S*$/, "")}…`;
}

/** Summary, plan, each step's review verdicts, and cost by role and model. */
export function pullRequestBody(doc: TaskDocument, finished?: string): string {
  const steps = doc.steps
    .map((s) => {
      const verdicts =
        s.reviews.map((r) => r.status.replace(/_/g, " ")).join(" → ") || "not reviewed yet";
      return `| ${s.id} | ${modelCell(s.description.split("\n")[0] ?? "")} | ${s.status} | ${verdicts} |`;
    })
    .join("\n");
  const ledger = summariseLedger(doc.ledger)
    .map((l) => `| ${l.role} | ${l.label} | ${l.calls} | ${usd(l.costUsd)} |`)
    .join("\n");
  const gate = doc.gate.results.at(-1);
  const failing = gate?.checks.filter((c) => !c.passed).map((c) => c.name) ?? [];
  const done = finished ?? (doc.state === "done" ? finishReason(doc) : null);
  const accepted =
    done !== null && !gate?.passed
      ? `\n\n> [!WARNING]\n> ${gate ? `Finished with the quality gate red (failing: ${failing.join(", ")})` : "Finished with no CI run on the head"}: ${done}. Check the branch before merging.`
      : "";
  return [
    `### Summary\n\n${quoteModelText(doc.plan?.summary ?? "(no plan yet)")}`,
    `### Steps\n\n| step | what | status | reviews |\n|---|---|---|---|\n${steps}`,
    `### Quality gate\n\n${gate ? `${gate.passed ? "passed" : "failed"} after ${doc.gate.runs} run(s), ${doc.gate.fixes} fix(es)` : "not run yet"}${accepted}`,
    // The cost by model folds away: the total is what a reviewer of the change wants first.
    `### Cost\n\n<details>\n<summary>Total: ${usd(totalCost(doc.ledger))} over ${doc.ledger.length} model call(s)</summary>\n\n| role | model | calls | cost |\n|---|---|---|---|\n${ledger}\n\n</details>`,
  ].join("\n\n");
}

/** Why the task finished, as its history says (`accepted by … with the quality gate red`). */
function finishReason(doc: TaskDocument): string {
  const prefix = `Task ${doc.id} done: `;
  const last = [...doc.history].reverse().find((h) => h.message.startsWith(prefix));
  return last ? last.message.slice(prefix.length) : "finished";
}

export function checkSummary(
  doc: TaskDocument,
  stepIndex: number,
  files: readonly string[],
): string {
  const step = doc.steps[stepIndex];
  if (!step) return "";
  return `${quoteModelText(step.description)}\n\nAttempt ${step.attempt}; files: ${files.map(inlineCode).join(", ") || "none"}.`;
}
