#!/usr/bin/env node
/**
 * The GitHub Action: one run handles the event that started it (a label, a command, a review,
 * CI finishing) with the App's handlers, or sweeps its repository on a schedule, then ends.
 * Waiting for CI holds no runner: the task is saved and `workflow_run` resumes it.
 */
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProbotOctokit } from "probot";
import { parseActionEnv, type ActionEnv } from "../config/action-env.ts";
import { packageVersion } from "../config/package-root.ts";
import { startTelemetry } from "../adapters/otel/sdk.ts";
import { redactSecrets } from "../core/text/redact.ts";
import { actionPrinter, type ActionPrinter } from "./printer.ts";
import type { Logger } from "../ports/logger.ts";
import { InstalledRepository } from "../adapters/github/api/responses.ts";
import { appRuntime } from "../app/app.ts";
import { eventWork } from "../app/events.ts";
import { processOptions } from "../app/from-env.ts";
import { sweepRepository } from "../app/sweep.ts";
import { writeRunReport } from "./outputs.ts";
import { taskOutcome, type TaskOutcome } from "./task-outcome.ts";

/** Events that start a sweep of the repository instead of one handler. */
const SWEEP_EVENTS = new Set(["schedule", "workflow_dispatch"]);

export interface ActionResult {
  /** The event as the handlers know it (`issues.labeled`), or `schedule`. */
  readonly event: string;
  readonly outcome: "handled" | "ignored" | "swept";
  /** Tasks a sweep resumed or started. */
  readonly resumed?: number;
  /** The task the event concerned, as the run left it (also the step's outputs). */
  readonly task?: TaskOutcome;
}

export interface ActionIo {
  /**
   * Takes every line the Action prints (default: standard output, where the runner reads
   * workflow commands such as `::add-mask::`): ours, and log lines neutralised by the printer.
   */
  readonly write?: (line: string) => void;
  /**
   * Options for the GitHub client beyond its token. Its defaults pace writes a second apart and
   * retry server errors, as GitHub asks of integrations; a test against a fake turns them off.
   */
  readonly octokit?: Record<string, unknown>;
}

/** Runs the action once over the runner's environment. */
export async function runAction(raw: NodeJS.ProcessEnv, io: ActionIo = {}): Promise<ActionResult> {
  const env = parseActionEnv(raw);
  const telemetry = startTelemetry(raw, {
    "service.version": packageVersion(),
    "orchestrator.host": "action",
    "github.repository": env.GITHUB_REPOSITORY,
    "github.run_id": env.GITHUB_RUN_ID,
  });
  try {
    const result = await handle(env, raw, io);
    // The step's outputs and the job summary, in the files the runner reads after the step.
    await writeRunReport(
      { output: env.GITHUB_OUTPUT, summary: env.GITHUB_STEP_SUMMARY },
      {
        ...result,
        task: result.task ?? null,
        repository: env.GITHUB_REPOSITORY,
        serverUrl: env.GITHUB_SERVER_URL.replace(/\/$/, ""),
      },
      `ghadelimiter_${randomUUID()}`,
    );
    return result;
  } finally {
    // A runner ends the process right after: export what is buffered first.
    await telemetry?.shutdown();
  }
}

const stdoutLine = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function handle(env: ActionEnv, raw: NodeJS.ProcessEnv, io: ActionIo): Promise<ActionResult> {
  const printer = actionPrinter(io.write ?? stdoutLine);
  const token = env["INPUT_GITHUB-TOKEN"];
  const shared = await processOptions(
    { provider: env.ORCHESTRATOR_PROVIDER, cassette: env.ORCHESTRATOR_CASSETTE },
    raw,
    {
      level: env.LOG_LEVEL ?? (env.RUNNER_DEBUG === "1" ? "debug" : "info"),
      secrets: [token],
      // Log lines carry outside text (tool names, errors, titles): none may become a command.
      destination: printer.log,
    },
  );
  const { secrets } = shared;
  // The runner hides these in every later line of the log, whoever prints them; each line of a
  // multi-line value too, since the runner masks line by line.
  for (const secret of secrets)
    for (const value of new Set([secret, ...secret.split(/\r?\n/).filter((l) => l.length >= 8)]))
      printer.command("add-mask", value);
  const [owner = "", repo = ""] = env.GITHUB_REPOSITORY.split("/");
  const { options, client } = appRuntime({
    ...shared,
    appId: env["INPUT_APP-ID"],
    secrets,
    webHost: new URL(env.GITHUB_SERVER_URL).hostname,
    workDir: join(env.RUNNER_TEMP ?? tmpdir(), "orchestrator"),
    cloneUrl: (r) =>
      `${(env.ORCHESTRATOR_CLONE_BASE ?? env.GITHUB_SERVER_URL).replace(/\/$/, "")}/${r.owner}/${r.repo}.git`,
    // A re-run of the same workflow run is another worker.
    owner: `actions:${env.GITHUB_RUN_ID}.${env.GITHUB_RUN_ATTEMPT}`,
    leaseMs: 15 * 60_000,
    queue: { perInstallation: 1, overall: 1 },
    statusDebounceMs: 10_000,
    sweepIntervalMs: 0,
    // The workflow's schedule sweeps only its own repository.
    takeTurns: false,
  });
  const octokit = new ProbotOctokit({
    ...io.octokit,
    // Octokit's warnings (deprecations, retries) go through the redacting, neutralised log.
    log: octokitLog(options.logger.child({ name: "octokit" })),
    auth: { token },
    baseUrl: env.GITHUB_API_URL,
  });
  const github = client(octokit, 0);
  const payload = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, "utf8")) as {
    action?: string;
  };
  if (SWEEP_EVENTS.has(env.GITHUB_EVENT_NAME)) {
    const { data } = await github.rest.repos.get({ owner, repo });
    const defaultBranch = InstalledRepository.parse(data).default_branch;
    const resumed = await sweepRepository(options, github, { owner, repo }, defaultBranch);
    return { event: env.GITHUB_EVENT_NAME, outcome: "swept", resumed };
  }
  const event = `${env.GITHUB_EVENT_NAME}.${payload.action ?? ""}`;
  const work = eventWork(event, payload);
  if (!work) {
    options.logger.info({ event }, "event asks nothing of orchestrator");
    return { event, outcome: "ignored" };
  }
  await work.run(options, github);
  const task = await taskOutcome(options, github, { owner, repo }, payload);
  return { event, outcome: "handled", ...(task ? { task } : {}) };
}

/**
 * Octokit's `log` option over our logger. Octokit passes a message; Probot's request logging
 * passes fields first, then the message.
 */
function octokitLog(logger: Logger) {
  const at =
    (level: "debug" | "info" | "warn" | "error") =>
    (first: unknown, ...rest: unknown[]): void => {
      if (typeof first === "string") logger[level]({}, first);
      else
        logger[level](
          typeof first === "object" && first !== null ? first : {},
          typeof rest[0] === "string" ? rest[0] : "octokit",
        );
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/**
 * A failed run, told in the log: the whole message (redacted; it may quote a provider's or
 * GitHub's answer) as a block no command can come out of, then our one `::error::` annotation.
 */
export function reportFailure(
  printer: ActionPrinter,
  error: unknown,
  secrets: readonly string[],
): void {
  const message = redactSecrets(error instanceof Error ? error.message : String(error), secrets);
  printer.block(message);
  printer.command("error", message);
}

if (import.meta.main) {
  const printer = actionPrinter(stdoutLine);
  runAction(process.env, { write: stdoutLine }).then(
    (result) => {
      printer.text(`orchestrator: ${result.event} ${result.outcome}`);
    },
    (error: unknown) => {
      const token = process.env["INPUT_GITHUB-TOKEN"];
      reportFailure(printer, error, token ? [token] : []);
      process.exitCode = 1;
    },
  );
}
