import { totalCost } from "../cost/ledger.ts";
import type { TaskDocument } from "../task/document.ts";
import { quoteModelText, sameProviderNotes, usd } from "./format.ts";

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
        `- ${MARK[s.status] ?? "[ ]"} ${s.id} ${quoteModelText(s.description.split("\n")[0] ?? "")}${i === doc.currentStep && !MARK[s.status] ? ` _(${s.status})_` : ""}`,
    )
    .join("\n");
  const models = doc.routing
    ? Object.values(doc.routing)
        .map((d) => `${d.role}: ${d.model}`)
        .join(" · ")
    : "not routed yet";
  const waiting =
    doc.escalation && doc.state === "awaiting_human"
      ? `\n\nWaiting for a human: ${doc.escalation.reason.replace(/_/g, " ")}`
      : "";
  const notes = sameProviderNotes(doc)
    .map((n) => `\n${n}`)
    .join("");
  return `**${doc.id}**: ${doc.state.replace(/_/g, " ")}${waiting}\n\n${steps || "_no plan yet_"}\n\nModels: ${models}${notes}\nCost so far: ${usd(totalCost(doc.ledger))}`;
}
