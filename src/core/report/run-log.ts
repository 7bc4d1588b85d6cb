import { summariseLedger, totalCost } from "../cost/ledger.ts";
import type { HistoryEntry, TaskDocument } from "../task/document.ts";
import { modelLine, quoteModelText, usd } from "./format.ts";

const ICON: Record<HistoryEntry["level"], string> = {
  info: "ℹ️",
  success: "✅",
  warning: "⚠️",
  error: "❌",
};

/** One task's run log in the seeds' format, rendered from its history (so a resumed run reads the same). */
export function taskRunLog(doc: TaskDocument): string {
  const lines = doc.history.map((h) => {
    const time = h.at.slice(11, 23);
    const details = (h.details ?? [])
      .map((d) => `\n  - ${quoteModelText(d).split("\n").join("\n    ")}`)
      .join("");
    return `- \`${time}\` ${ICON[h.level]} **${h.category}**: ${modelLine(h.message)}${details}`;
  });
  const ledger = summariseLedger(doc.ledger)
    .map(
      (l) =>
        `| ${l.role} | ${l.label} | ${l.calls} | ${l.usage.input.noCache + l.usage.input.cacheRead + l.usage.input.cacheWrite} | ${l.usage.output} | ${usd(l.costUsd)} |`,
    )
    .join("\n");
  return [
    `## Task: ${doc.id}`,
    `**Started**: ${doc.createdAt}  \n**State**: ${doc.state}  \n**Branch**: \`${doc.branch}\``,
    `### Execution Log\n\n${lines.join("\n")}`,
    `### Ledger\n\n| role | model | calls | input tokens | output tokens | cost |\n|---|---|---|---|---|---|\n${ledger}\n\n**Total**: ${usd(totalCost(doc.ledger))}`,
  ].join("\n\n");
}

/** The whole run log: every task's section and a run summary. */
export function runLog(docs: readonly TaskDocument[], title: string): string {
  const count = (state: string): number => docs.filter((d) => d.state === state).length;
  const summary = [
    `- Tasks: ${docs.length} (done ${count("done")}, awaiting a human ${count("awaiting_human")}, failed ${count("failed")}, cancelled ${count("cancelled")})`,
    `- Total cost: ${usd(docs.reduce((sum, d) => sum + totalCost(d.ledger), 0))}`,
    `- Model calls: ${docs.reduce((sum, d) => sum + d.ledger.length, 0)}`,
  ].join("\n");
  return `# Orchestrator run log\n\n## Run: ${title}\n\n${docs.map(taskRunLog).join("\n\n---\n\n")}\n\n## Run summary\n\n${summary}\n`;
}
