import type { CallRecord } from "../../core/cost/ledger.ts";
import type { Role } from "../../core/vocabulary/roles.ts";
import { ModelOutputError } from "../../core/errors.ts";
import type { RenderedPrompt } from "../../core/prompt/render.ts";
import type { ToolNote } from "../../core/task/tool-log.ts";
import type { Message, UserPart } from "../../ports/language-model.ts";
import type { Logger } from "../../ports/logger.ts";
import type { WorkTree } from "../../ports/workspace.ts";
import type { BoundCall } from "../calls/model-caller.ts";
import { runCommandTool, type LoopCommands } from "./command-tools.ts";
import { commandTools } from "./commands.ts";
import { IMPLEMENTER_TOOLS, runTool } from "./tools.ts";

export interface LoopArgs {
  readonly role: Role;
  readonly prompt: RenderedPrompt;
  readonly tree: WorkTree;
  readonly maxToolTurns: number;
  readonly maxOutputTokens: number;
  readonly protectedPaths: readonly string[];
  /** Receives every paid call, also when this throws. */
  readonly calls: CallRecord[];
  /** Receives every tool call's summary, also when this throws. */
  readonly tools?: ToolNote[];
  readonly logger: Logger;
  /**
   * Asked when the model would finish: what is wrong with its change (a pure function of the
   * tree), sent back to it in place of finishing; null lets it finish.
   */
  readonly beforeFinish?: () => Promise<string | null>;
  /** The `run` and `check` tools; absent where no sandbox works and none was opted into. */
  readonly commands?: LoopCommands;
}

/**
 * The implementer's tool loop, bounded in turns. Replayed after a crash from the journal: the
 * same answers drive the same tool calls on a clean tree, without paying again.
 */
export async function implementerLoop(call: BoundCall, args: LoopArgs): Promise<string> {
  const tools = args.commands
    ? [...IMPLEMENTER_TOOLS, ...commandTools(args.commands.runner)]
    : IMPLEMENTER_TOOLS;
  const messages: Message[] = [
    { role: "user", content: args.prompt.userParts.map((text) => ({ type: "text", text })) },
  ];
  for (let turn = 0; turn < args.maxToolTurns; turn++) {
    const { response, record } = await call(turn, {
      system: args.prompt.system,
      messages: [...messages],
      tools,
      maxOutputTokens: args.maxOutputTokens,
      cacheHint: true,
    });
    args.calls.push(record);
    if (response.stopReason === "max_tokens")
      throw new ModelOutputError(
        "truncated",
        `${args.role} ran out of output tokens in turn ${turn}`,
      );
    if (response.stopReason === "refusal")
      throw new ModelOutputError(
        "refusal",
        `${args.role} declined: ${response.text.slice(0, 500)}`,
      );
    const toolCalls = response.content.filter((p) => p.type === "tool_call");
    // Only a turn that ended (`end`) without calls is the model's last word; one that stopped for
    // a reason we do not know (a malformed call, a paused turn) has not finished the step.
    if (toolCalls.length === 0 && response.stopReason !== "end")
      throw new ModelOutputError(
        "invalid",
        `${args.role} stopped in turn ${turn} without a tool call or an answer (stop reason ${response.stopReason})`,
      );
    if (toolCalls.length === 0) {
      const problems = await args.beforeFinish?.();
      if (!problems) return response.text || "done";
      args.tools?.push({ summary: `end refused: ${firstLine(problems)}`, refused: true });
      messages.push({ role: "assistant", content: response.content });
      messages.push({ role: "user", content: [{ type: "text", text: problems }] });
      continue;
    }
    // The assistant's turn goes back exactly as it came: reasoning state, text and calls, in order.
    messages.push({ role: "assistant", content: response.content });
    const results: UserPart[] = [];
    let finished: string | undefined;
    for (const [index, toolCall] of toolCalls.entries()) {
      let outcome =
        (args.commands &&
          (await runCommandTool(
            args.commands,
            `${turn}.${index}`,
            toolCall.name,
            toolCall.input,
          ))) ??
        (await runTool(args.tree, toolCall.name, toolCall.input, args.protectedPaths));
      const problems = outcome.finished === undefined ? null : await args.beforeFinish?.();
      if (problems)
        outcome = {
          content: problems,
          isError: true,
          summary: `finish refused: ${firstLine(problems)}`,
        };
      args.tools?.push({ summary: outcome.summary, refused: outcome.isError });
      if (outcome.isError)
        args.logger.warn({ tool: toolCall.name, summary: outcome.summary }, "tool call refused");
      finished ??= outcome.finished;
      results.push({
        type: "tool_result",
        toolCallId: toolCall.id,
        content: outcome.content,
        isError: outcome.isError,
      });
    }
    if (finished !== undefined) return finished;
    messages.push({ role: "user", content: results });
  }
  throw new ModelOutputError(
    "tool_limit",
    `${args.role} did not finish within ${args.maxToolTurns} tool turns`,
  );
}

/** The first problem of a check's answer, for the run log. */
function firstLine(problems: string): string {
  return (problems.split("\n")[1] ?? "").replace(/^- /, "").slice(0, 200);
}
