import { z } from "zod";
import { excerptLog } from "../../core/ci/excerpt.ts";
import { fenceUntrusted } from "../../core/prompt/fence.ts";
import { trimOutput } from "../../core/text/trim-output.ts";
import type { Sandbox, SandboxLimits, SandboxResult } from "../../ports/sandbox.ts";
import type { StateStore } from "../../ports/state-store.ts";
import type { ToolSpec } from "../../ports/language-model.ts";

/** A gate command the `check` tool runs the same way as the gate (its name and command line). */
export interface CheckCommand {
  readonly name: string;
  readonly run: string;
}

/** The longest a model may ask one command to run. */
export const MAX_RUN_SECONDS = 600;

/**
 * Commands of one effect in the sandbox, each run once: its result is journaled under its key
 * before the model sees it, and a replay of the loop (after a crash) reads it back instead of
 * running the command again, so the replayed turns see the same output.
 */
export type EffectCommands = (options: {
  /** `<turn>.<index of the call in the turn>`: unique within the effect. */
  readonly call: string;
  readonly command: string;
  readonly timeoutMs: number;
}) => Promise<SandboxResult>;

/** What the engine holds to give an effect its commands. */
export interface CommandRunner {
  readonly backend: Sandbox["backend"];
  readonly checks: readonly CheckCommand[];
  readonly limits: SandboxLimits;
  forEffect(options: { readonly task: string; readonly effectKey: string }): EffectCommands;
}

const Journaled = z.object({
  exitCode: z.number().int(),
  output: z.string(),
  truncated: z.boolean(),
  stopped: z.enum(["time", "output", "processes"]).nullable(),
});

export function journaledCommands(options: {
  readonly sandbox: Sandbox;
  readonly store: StateStore;
  readonly directoryOf: (task: string) => string;
  readonly checks: readonly CheckCommand[];
  readonly limits: SandboxLimits;
}): CommandRunner {
  return {
    backend: options.sandbox.backend,
    checks: options.checks,
    limits: options.limits,
    forEffect:
      ({ task, effectKey }) =>
      async ({ call, command, timeoutMs }) => {
        const key = `${effectKey}#run:${call}`;
        const earlier = Journaled.safeParse(await options.store.readCall({ task, key }));
        if (earlier.success) return earlier.data;
        const result = await options.sandbox.run({
          command,
          tree: options.directoryOf(task),
          network: false,
          limits: {
            ...options.limits,
            timeoutMs: Math.min(timeoutMs, options.limits.timeoutMs),
          },
        });
        await options.store.writeCall({ task, key, value: result });
        return result;
      },
  };
}

export const RunInput = z.strictObject({
  command: z.string().min(1).max(2_000),
  timeout_seconds: z.number().int().min(1).max(MAX_RUN_SECONDS).optional(),
});
export const CheckInput = z.strictObject({});

export function commandTools(runner: CommandRunner): ToolSpec[] {
  const seconds = Math.round(runner.limits.timeoutMs / 1000);
  const names = runner.checks.map((c) => c.name).join(", ");
  return [
    {
      name: "run",
      description: `Run a shell command line (sh -c) in the repository's root, ${runner.backend === "bwrap" ? "in a sandbox: no network, none of the host's files or secrets, a private /tmp" : "WITHOUT a sandbox, as the user, without credentials in the environment"}; at most ${seconds} s (\`timeout_seconds\`), bounded CPU, memory, processes and output. Answers the exit code and the output, the failures first. Use it to run the tests you change; the repository's checks still decide after you.`,
      inputSchema: z.toJSONSchema(RunInput, { target: "draft-7" }),
    },
    ...(runner.checks.length > 0
      ? [
          {
            name: "check",
            description: `Run the repository's own checks (${names}) as the gate will, one after the other, the same way as \`run\`. Answers each one's exit code and failures.`,
            inputSchema: z.toJSONSchema(CheckInput, { target: "draft-7" }),
          },
        ]
      : []),
  ];
}

/** What the model reads of a command's result: exit code, how it stopped, failures, tail. */
export function describeRun(label: string, result: SandboxResult, timeoutMs: number): string {
  const how =
    result.stopped === "time"
      ? `killed after ${Math.round(timeoutMs / 1000)} s`
      : result.stopped === "output"
        ? "killed: too much output"
        : result.stopped === "processes"
          ? "killed: too many processes"
          : `exit code ${result.exitCode}`;
  const excerpt = excerptLog(result.output);
  const body =
    result.exitCode === 0 && result.stopped === null
      ? trimOutput(result.output, 3_000)
      : excerpt.failures.length > 0
        ? excerpt.text
        : trimOutput(result.output);
  return `${label}: ${how}${result.truncated ? " (output cut)" : ""}\n${fenceUntrusted(`output of ${label}`, body, "source")}`;
}
