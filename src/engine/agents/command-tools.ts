import { z } from "zod";
import {
  CheckInput,
  describeRun,
  RunInput,
  type CommandRunner,
  type EffectCommands,
} from "./commands.ts";
import type { ToolOutcome } from "./tools.ts";

/** The loop's commands: the runner (tools, checks, bounds) and this effect's journaled runs. */
export interface LoopCommands {
  readonly runner: CommandRunner;
  readonly run: EffectCommands;
}

/**
 * Answers a `run` or `check` call; null for any other tool. `call` keys the journal entry of
 * each command, so a replayed loop reads the same results back.
 */
export async function runCommandTool(
  commands: LoopCommands,
  call: string,
  name: string,
  input: unknown,
): Promise<ToolOutcome | null> {
  if (name === "run") {
    const parsed = RunInput.safeParse(input);
    if (!parsed.success) return invalid(name, parsed.error);
    const timeoutMs = Math.min(
      (parsed.data.timeout_seconds ?? Infinity) * 1000,
      commands.runner.limits.timeoutMs,
    );
    const result = await commands.run({ call, command: parsed.data.command, timeoutMs });
    const failed = result.exitCode !== 0 || result.stopped !== null;
    return {
      content: describeRun("the command", result, timeoutMs),
      isError: false,
      summary: `run: ${result.stopped ? `stopped (${result.stopped})` : `exit code ${result.exitCode}`}${failed ? "" : ", ok"}`,
    };
  }
  if (name === "check" && commands.runner.checks.length > 0) {
    const parsed = CheckInput.safeParse(input);
    if (!parsed.success) return invalid(name, parsed.error);
    const parts: string[] = [];
    const failed: string[] = [];
    for (const [index, check] of commands.runner.checks.entries()) {
      const timeoutMs = commands.runner.limits.timeoutMs;
      const result = await commands.run({
        call: `${call}.${index}`,
        command: check.run,
        timeoutMs,
      });
      if (result.exitCode !== 0 || result.stopped !== null) failed.push(check.name);
      parts.push(describeRun(`check ${check.name}`, result, timeoutMs));
    }
    return {
      content: `${parts.join("\n\n")}\n(${failed.length === 0 ? "every check passed" : `failed: ${failed.join(", ")}`}; the gate still decides after you)`,
      isError: false,
      summary: `check: ${failed.length === 0 ? "passed" : `failed ${failed.join(", ")}`}`,
    };
  }
  return null;
}

function invalid(name: string, error: z.ZodError): ToolOutcome {
  return {
    content: `invalid input for ${name}: ${z.prettifyError(error)}`,
    isError: true,
    summary: `${name}: invalid input`,
  };
}
