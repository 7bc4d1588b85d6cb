import type { GateResult } from "../plan/gate-result.ts";
import type { TaskDocument } from "../task/document.ts";
import { codeBlock } from "./format.ts";

const EXCERPT_CHARS = 2_500;

/**
 * The message of an escalation about a red gate: what is red, what CI said (the excerpt, as
 * code), what was tried, and how to run the checks by hand. The escalation comment adds the
 * commands a person can answer with.
 */
export function gateEscalation(doc: TaskDocument, result: GateResult, headline: string): string {
  const failed = result.checks.filter((c) => !c.passed);
  const checks = failed
    .map((c) => `- ❌ ${c.name}${c.reason ? `: ${c.reason}` : ""}${c.url ? ` (${c.url})` : ""}`)
    .join("\n");
  const excerpt = failed
    .map((c) => `${c.name}:\n${c.output.slice(0, Math.floor(EXCERPT_CHARS / failed.length))}`)
    .join("\n\n");
  const fixes = doc.steps.filter((s) => s.type === "fix");
  const tried = [
    `${doc.gate.runs} gate run(s)${doc.gate.rerunCommit ? ", failed checks run again once" : ""}${doc.gate.rerunRefused ? ` (not run again: ${doc.gate.rerunRefused})` : ""}`,
    ...fixes.map(
      (s) =>
        `${s.id}: ${s.commits.length > 0 ? s.commits.map((c) => c.slice(0, 12)).join(", ") : "no commit"}`,
    ),
  ];
  const commit = result.commit ?? doc.headCommit ?? "";
  return [
    headline,
    `Failing on \`${commit.slice(0, 12)}\` of \`${doc.branch}\`:\n${checks}`,
    `What ${result.local === true ? "the gate" : "CI"} said:\n${codeBlock(excerpt)}`,
    `Tried: ${tried.join("; ")}.`,
    lookYourself(doc.branch, commit.slice(0, 12), result.local === true),
  ].join("\n\n");
}

/** How a person gets the failing commit: it is in their repository already, or on the remote. */
function lookYourself(branch: string, commit: string, local: boolean): string {
  return local
    ? `To see it yourself: \`git checkout ${commit}\` (on \`${branch}\` in this repository), then run the failing commands of \`gate.commands\`.`
    : `To see it yourself: \`git fetch origin ${branch} && git checkout ${commit}\`, then run the failing checks as CI does.`;
}
