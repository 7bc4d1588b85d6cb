import { appendFile } from "node:fs/promises";
import type { TaskOutcome } from "./task-outcome.ts";

/** The outputs `action.yml` declares, in its order. */
export const ACTION_OUTPUTS = [
  "outcome",
  "task-id",
  "state",
  "pull-request-url",
  "cost-usd",
] as const;
export type ActionOutputs = Record<(typeof ACTION_OUTPUTS)[number], string>;

/** What one run did, as the outputs and the job summary tell it. */
export interface RunReport {
  /** `issues.labeled`, or `schedule`. */
  readonly event: string;
  readonly outcome: "handled" | "ignored" | "swept";
  readonly repository: string;
  /** The web host's URL (`https://github.com`). */
  readonly serverUrl: string;
  readonly task: TaskOutcome | null;
  /** Tasks a sweep resumed or started. */
  readonly resumed?: number;
}

const pullUrl = (r: RunReport, pull: number): string =>
  `${r.serverUrl}/${r.repository}/pull/${String(pull)}`;

export function actionOutputs(r: RunReport): ActionOutputs {
  const t = r.task;
  return {
    outcome: r.outcome,
    "task-id": t ? String(t.issue) : "",
    state: t?.state ?? "",
    "pull-request-url": t?.pullRequest ? pullUrl(r, t.pullRequest) : "",
    "cost-usd": t ? t.costUsd.toFixed(4) : "",
  };
}

/**
 * The outputs in the runner's file-command format: `name<<delimiter`, the value, the delimiter
 * (docs.github.com, Actions › Workflow commands › Setting an output parameter / Multiline
 * strings). The delimiter is random and checked against the value, as `@actions/core` does.
 */
export function outputFileText(outputs: ActionOutputs, delimiter: string): string {
  return ACTION_OUTPUTS.map((name) => {
    const value = outputs[name];
    if (value.includes(delimiter)) throw new Error(`output ${name} contains its delimiter`);
    return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  }).join("");
}

/** The job summary: GitHub-flavoured Markdown made only of our own values (numbers, states, URLs). */
export function summaryMarkdown(r: RunReport): string {
  const lines = [`### orchestrator: \`${r.event}\` ${r.outcome}`, ""];
  if (r.outcome === "swept") {
    lines.push(`Swept ${r.repository}: ${String(r.resumed ?? 0)} task(s) resumed or started.`);
  } else if (r.task) {
    const t = r.task;
    const issue = `[#${String(t.issue)}](${r.serverUrl}/${r.repository}/issues/${String(t.issue)})`;
    const pull = t.pullRequest
      ? `[#${String(t.pullRequest)}](${pullUrl(r, t.pullRequest)})`
      : "none yet";
    lines.push(
      "| Task | State | Pull request | Cost |",
      "| --- | --- | --- | --- |",
      `| ${issue} | \`${t.state}\` | ${pull} | $${t.costUsd.toFixed(4)} |`,
    );
  } else {
    lines.push("No task was concerned.");
  }
  return `${lines.join("\n")}\n`;
}

/** Appends the outputs and the summary to the files the runner names (absent outside a runner). */
export async function writeRunReport(
  files: { readonly output?: string | undefined; readonly summary?: string | undefined },
  r: RunReport,
  delimiter: string,
): Promise<void> {
  if (files.output) await appendFile(files.output, outputFileText(actionOutputs(r), delimiter));
  if (files.summary) await appendFile(files.summary, summaryMarkdown(r));
}
