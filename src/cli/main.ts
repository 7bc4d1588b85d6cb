#!/usr/bin/env node
import { Command, InvalidArgumentError } from "commander";
import { activeTasks, listTasks, reviewQueue, summary } from "./commands/inspect.ts";
import { createOutput, reportError } from "./output.ts";
import { repositoryOrFolder, repositoryRoot } from "./repository-root.ts";
import { InvalidInputError } from "../core/errors.ts";
import { Dollars } from "../config/dollars.ts";
import { METRICS, type Metric } from "../core/learning/analytics.ts";
import { enableSpanContext } from "../adapters/otel/context.ts";
import { telemetryWanted } from "../adapters/otel/wanted.ts";
import { packageVersion } from "../config/package-root.ts";

// Commands that run the engine or call providers load them when they run: the inspecting
// commands start without the SDKs and the tokenizer (about 0.8 s less per start).
const load = {
  run: () => import("./commands/run.ts"),
  task: () => import("./commands/task.ts"),
  models: () => import("./commands/models.ts"),
  stats: () => import("./commands/stats.ts"),
  cleanState: () => import("./commands/clean-state.ts"),
  providers: () => import("../providers/from-env.ts"),
  agents: () => import("../providers/agent-cli/setup.ts"),
  rateLimits: () => import("../config/rate-limits.ts"),
  telemetry: () => import("../adapters/otel/sdk.ts"),
  traffic: () => import("../engine/calls/traffic.ts"),
  sandbox: () => import("../adapters/sandbox/from-env.ts"),
};

enableSpanContext();

interface Common {
  workingDir: string;
  json?: boolean;
}

/** `ORCHESTRATOR_DAY_BUDGET_USD`: what this repository's tasks may spend per UTC day. */
function dayBudgetFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env["ORCHESTRATOR_DAY_BUDGET_USD"];
  if (raw === undefined || raw === "") return undefined;
  const parsed = Dollars.safeParse(raw);
  if (!parsed.success)
    throw new InvalidInputError("environment", [
      {
        path: "ORCHESTRATOR_DAY_BUDGET_USD",
        message: `${parsed.error.issues[0]?.message ?? "must be dollars"} (got "${raw}")`,
      },
    ]);
  return parsed.data;
}

function dollars(value: string): number {
  const n = Number(value.replace(/^\+/, ""));
  if (!Number.isFinite(n) || n <= 0 || n > 10_000)
    throw new InvalidArgumentError("expected dollars above 0 and at most 10000, e.g. 2.50");
  return n;
}

function days(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("expected days above 0");
  return n;
}

function metric(value: string): Metric {
  const found = METRICS.find((m) => m === value);
  if (!found) throw new InvalidArgumentError(`expected one of ${METRICS.join(", ")}`);
  return found;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError("expected a positive whole number");
  return n;
}

/** Builds the CLI; `act` receives each command's work so errors and exit codes are handled once. */
export function buildProgram(act: (json: boolean, work: () => Promise<number>) => void): Command {
  const program = new Command("orchestrator")
    .description(
      "Plans, implements and reviews tasks on a local git repository with several models that check each other.",
    )
    .version(packageVersion(), "--version", "print the version");
  const common = (cmd: Command): Command =>
    cmd
      .option("--working-dir <dir>", "the repository", process.cwd())
      .option("--json", "print JSON for scripts");
  // From a subfolder too, as git does: the repository's root holds `.orchestrator/`.
  const dir = (o: Common): string => repositoryRoot(o.workingDir);

  common(program.command("run"))
    .description("start or resume the tasks of a tasks file")
    .option("--tasks <file>", "tasks file (default: tasks.yaml or .orchestrator/tasks.yaml)")
    .option("--task-id <id>", "only this task")
    .option("--provider <source>", "env (API keys from the environment) or replay", "env")
    .option("--cassette <file>", "answers for --provider replay")
    .option("--concurrency <n>", "tasks at once", positive, 2)
    .action(
      (
        o: Common & {
          tasks?: string;
          taskId?: string;
          provider: string;
          cassette?: string;
          concurrency: number;
        },
      ) => {
        act(o.json === true, async () => {
          const workingDir = dir(o);
          const [
            { chooseProviders },
            { runTasks },
            { agentsFromEnv },
            rates,
            { createTraffic },
            { sandboxFromEnv },
          ] = await Promise.all([
            load.providers(),
            load.run(),
            load.agents(),
            load.rateLimits(),
            load.traffic(),
            load.sandbox(),
          ]);
          const sandbox = await sandboxFromEnv(process.env);
          if (sandbox.note) process.stderr.write(`${sandbox.note}\n`);
          const providers = await chooseProviders(
            { provider: o.provider, cassette: o.cassette },
            process.env,
          );
          const dayBudget = dayBudgetFromEnv(process.env);
          const result = await runTasks(
            {
              workingDir,
              clients: providers.clients,
              secrets: providers.secrets,
              ...(dayBudget === undefined ? {} : { dayBudgetUsd: dayBudget }),
              agents: agentsFromEnv(process.env),
              ...(sandbox.sandbox ? { sandbox: sandbox.sandbox } : {}),
              traffic: createTraffic({
                now: () => Date.now(),
                rateLimits: rates.rateLimitsFromEnv(process.env),
              }),
            },
            { tasks: o.tasks, taskId: o.taskId, concurrency: o.concurrency },
            createOutput(o.json === true),
          );
          return result.code;
        });
      },
    );
  common(program.command("summary"))
    .description("tasks by state and spend by role and model")
    .action((o: Common) => {
      act(o.json === true, () => summary(dir(o), createOutput(o.json === true)));
    });
  common(program.command("stats"))
    .description(
      "what the learning records say: summary | optimize | rankings [area] [risk] | model <id> | reviewers | similar <goal>",
    )
    .argument("[view]", "summary, optimize, rankings, model or reviewers", "summary")
    .argument("[args...]", "rankings: area and risk; model: the model's id; similar: a goal")
    .option("--days <n>", "only records of the last n days", days)
    .option("--half-life <days>", "records this old count half", days)
    .option(
      "--metric <metric>",
      "rankings by success, firstPassReview, firstPassGate, merged, cost or malformed",
      metric,
    )
    .option(
      "--repo <owner/name>",
      "read a repository's state branch through GitHub's API (GITHUB_TOKEN)",
    )
    .option("--state-branch <branch>", "the state branch of --repo", "orchestrator/state")
    .action(
      (
        view: string,
        rest: string[],
        o: Common & {
          days?: number;
          halfLife?: number;
          metric?: Metric;
          repo?: string;
          stateBranch?: string;
        },
      ) => {
        act(o.json === true, async () => {
          const { stats, localRecords, repoRecords } = await load.stats();
          const views = [
            "summary",
            "optimize",
            "rankings",
            "model",
            "reviewers",
            "similar",
          ] as const;
          const chosen = views.find((v) => v === view);
          if (!chosen)
            throw new InvalidInputError("stats", [
              { path: "view", message: `unknown view ${view}: one of ${views.join(", ")}` },
            ]);
          if ((chosen === "model" || chosen === "similar") && rest.length === 0)
            throw new InvalidInputError(`stats ${chosen}`, [
              {
                path: chosen === "model" ? "ID" : "GOAL",
                message:
                  chosen === "model"
                    ? "name the model, e.g. `stats model anthropic/claude-haiku-4-5`"
                    : "give a goal to compare with, e.g. `stats similar add a truncate helper`",
              },
            ]);
          return stats(
            o.repo
              ? await repoRecords(o.repo, process.env, o.stateBranch)
              : await localRecords(dir(o)),
            chosen,
            {
              window: {
                now: new Date().toISOString(),
                ...(o.days ? { days: o.days } : {}),
                ...(o.halfLife ? { halfLifeDays: o.halfLife } : {}),
              },
              ...(chosen === "rankings" && rest[0] ? { area: rest[0] } : {}),
              ...(chosen === "rankings" && rest[1] ? { risk: rest[1] } : {}),
              ...(chosen === "model" && rest[0] ? { model: rest[0] } : {}),
              ...(chosen === "similar" ? { goal: rest.join(" ") } : {}),
              ...(o.metric ? { metric: o.metric } : {}),
            },
            createOutput(o.json === true),
          );
        });
      },
    );
  common(program.command("review"))
    .description("tasks waiting for a human, and why")
    .action((o: Common) => {
      act(o.json === true, () => reviewQueue(dir(o), createOutput(o.json === true)));
    });
  common(program.command("active"))
    .description("tasks in progress")
    .action((o: Common) => {
      act(o.json === true, () => activeTasks(dir(o), createOutput(o.json === true)));
    });
  common(program.command("list-tasks"))
    .description("every task, optionally in one state")
    .option("--state <state>", "only tasks in this state")
    .action((o: Common & { state?: string }) => {
      act(o.json === true, () => listTasks(dir(o), o.state, createOutput(o.json === true)));
    });
  common(program.command("task"))
    .description("show a task, or answer its escalation")
    .argument("<id>", "task id")
    .option("--approve", "go on from where it stopped")
    .option("--retry <feedback>", "redo the blocked phase with your feedback")
    .option("--reject", "stop; the task fails")
    .option("--abort", "cancel the task")
    .option("--budget <dollars>", "add this many dollars to the task's budget and go on", dollars)
    .action(
      (
        id: string,
        o: Common & {
          approve?: boolean;
          reject?: boolean;
          abort?: boolean;
          retry?: string;
          budget?: number;
        },
      ) => {
        act(o.json === true, async () =>
          (await load.task()).taskCommand(
            dir(o),
            id,
            {
              ...(o.approve ? { approve: true } : {}),
              ...(o.reject ? { reject: true } : {}),
              ...(o.abort ? { abort: true } : {}),
              ...(o.retry !== undefined ? { retry: o.retry } : {}),
              ...(o.budget !== undefined ? { budget: o.budget } : {}),
            },
            createOutput(o.json === true),
          ),
        );
      },
    );
  common(program.command("models"))
    .description(
      "the model table, which providers are configured, and with --check one tiny call to each",
    )
    .option("--check", "make one tiny call to each configured provider")
    .action((o: Common & { check?: boolean }) => {
      act(o.json === true, async () =>
        (await load.models()).modelsCommand(
          repositoryOrFolder(o.workingDir),
          { ...(o.check ? { check: true } : {}) },
          process.env,
          createOutput(o.json === true),
        ),
      );
    });
  common(program.command("clean-state"))
    .description("delete all task state (branches are kept)")
    .option("--force", "confirm")
    .action((o: Common & { force?: boolean }) => {
      act(o.json === true, async () =>
        (await load.cleanState()).cleanState(
          dir(o),
          o.force === true,
          createOutput(o.json === true),
        ),
      );
    });
  return program;
}

/**
 * Runs a command with OpenTelemetry's SDK started when the `OTEL_*` variables ask for it, as the
 * App and the Action do (the SDK is loaded only then), and flushed before the process ends.
 */
async function withTelemetry(work: () => Promise<number>): Promise<number> {
  if (!telemetryWanted(process.env)) return work();
  const telemetry = (await load.telemetry()).startTelemetry(process.env, {
    "service.version": packageVersion(),
    "orchestrator.host": "cli",
  });
  try {
    return await work();
  } finally {
    await telemetry?.shutdown();
  }
}

if (import.meta.main) {
  const program = buildProgram((json, work) => {
    withTelemetry(work).then(
      (code) => {
        process.exitCode = code;
      },
      (error: unknown) => {
        process.exitCode = reportError(error, json);
      },
    );
  });
  // Usage errors exit 2 on every command (commander's own default is 1, and a subcommand does
  // not inherit an override set after it was made).
  const everyCommand = (c: Command): Command[] => [c, ...c.commands.flatMap(everyCommand)];
  for (const command of everyCommand(program))
    command.exitOverride((error) => {
      process.exit(error.exitCode === 0 ? 0 : 2);
    });
  program.parse();
}
