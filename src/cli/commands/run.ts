import { join } from "node:path";
import { writeFileAtomic } from "../../adapters/local/atomic-file.ts";
import { totalCost } from "../../core/cost/ledger.ts";
import { InvalidInputError } from "../../core/errors.ts";
import { runLog } from "../../core/report/run-log.ts";
import type { TaskDocument } from "../../core/task/document.ts";
import { createLocalHost, type LocalHostOptions } from "../local-host.ts";
import { findTasksFile, loadTasks } from "../load-tasks.ts";
import { EXIT, type Output } from "../output.ts";
import { createProgress, statusLine } from "../progress.ts";

export interface RunOptions {
  readonly tasks?: string | undefined;
  readonly taskId?: string | undefined;
  readonly concurrency: number;
}

export interface RunReport {
  readonly tasks: {
    id: string;
    state: string;
    branch: string;
    costUsd: number;
    error?: string;
    escalation?: string;
  }[];
  readonly runLog: string;
}

/** Starts (or resumes) the tasks of a tasks file and runs them until each ends or needs a human. */
export async function runTasks(
  host: Omit<LocalHostOptions, "onStatus">,
  options: RunOptions,
  output: Output,
  now: () => number = Date.now,
): Promise<{ code: number; report: RunReport }> {
  const file = options.tasks ?? (await findTasksFile(host.workingDir));
  let definitions = await loadTasks(file, host.workingDir);
  if (options.taskId !== undefined) {
    definitions = definitions.filter((t) => t.id === options.taskId);
    if (definitions.length === 0)
      throw new InvalidInputError(file, [
        { path: "--task-id", message: `no task with id ${options.taskId}` },
      ]);
  }
  const progress = createProgress({
    json: output.json,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
  const local = await createLocalHost({
    ...host,
    onStatus: (task, body) => {
      progress.update(task, statusLine(task, body));
    },
  });
  const started = new Date(now()).toISOString();
  try {
    for (const definition of definitions) await local.engine.start(definition);
    const results = await local.engine.runMany(
      definitions.map((d) => d.id),
      options.concurrency,
    );
    progress.stop();
    const docs: TaskDocument[] = [];
    const report: RunReport = {
      tasks: [],
      runLog: join(local.directory, "ORCHESTRATOR_RUN_LOG.md"),
    };
    for (const [id, result] of results) {
      if (result instanceof Error) {
        // What the task has spent and where it is stay true when this run of it failed.
        const stored = await local.store.load(id).catch(() => null);
        report.tasks.push({
          id,
          state: "error",
          branch: stored?.document.branch ?? "",
          costUsd: stored ? totalCost(stored.document.ledger) : 0,
          error: result.message,
        });
        continue;
      }
      docs.push(result);
      report.tasks.push({
        id,
        state: result.state,
        branch: result.branch,
        costUsd: totalCost(result.ledger),
        ...(result.escalation
          ? { escalation: `${result.escalation.reason}: ${result.escalation.message}` }
          : {}),
      });
    }
    await writeFileAtomic(report.runLog, runLog(docs, started));
    output.emit(report, () =>
      [
        ...report.tasks.map(
          (t) =>
            `${t.id}: ${t.state}${t.branch ? ` on ${t.branch}` : ""} ($${t.costUsd.toFixed(4)})${t.escalation ? `\n  needs a human: ${t.escalation.split("\n")[0] ?? ""}\n  answer with: orchestrator task ${t.id} --approve | --retry "feedback" | --reject | --abort` : ""}${t.error ? `\n  error: ${t.error}` : ""}`,
        ),
        `Run log: ${report.runLog}`,
      ].join("\n"),
    );
    return { code: exitCode(report), report };
  } finally {
    progress.stop();
  }
}

function exitCode(report: RunReport): number {
  const states = report.tasks.map((t) => t.state);
  if (states.some((s) => s === "error" || s === "failed" || s === "cancelled")) return EXIT.failed;
  if (states.some((s) => s === "awaiting_human")) return EXIT.awaitingHuman;
  return EXIT.ok;
}
