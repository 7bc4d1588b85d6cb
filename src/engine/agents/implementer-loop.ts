import type { Context } from "@opentelemetry/api";
import type { CallRecord, Role } from "../../core/cost/ledger.ts";
import { ModelOutputError } from "../../core/errors.ts";
import type { RenderedPrompt } from "../../core/prompt/render.ts";
import type { Message, UserPart } from "../../ports/language-model.ts";
import type { WorkTree } from "../../ports/workspace.ts";
import type { EngineDeps } from "../deps.ts";
import { callModel } from "../model-call.ts";
import type { Instruments } from "../telemetry.ts";
import { IMPLEMENTER_TOOLS, runTool } from "./tools.ts";

export interface LoopArgs {
  readonly task: string;
  readonly effectKey: string;
  readonly role: Role;
  readonly modelRef: string;
  readonly step: string;
  readonly attempt: number;
  readonly prompt: RenderedPrompt;
  readonly tree: WorkTree;
  /** Receives every paid call, also when this throws. */
  readonly calls: CallRecord[];
}

/**
 * The implementer's tool loop, bounded in turns. Replayed after a crash from the journal: the
 * same answers drive the same tool calls on a clean tree, without paying again.
 */
export async function implementerLoop(
  deps: EngineDeps,
  instruments: Instruments,
  ctx: Context,
  args: LoopArgs,
): Promise<string> {
  const messages: Message[] = [
    { role: "user", content: [{ type: "text", text: args.prompt.user }] },
  ];
  for (let turn = 0; turn < deps.settings.maxToolTurns; turn++) {
    const { response, record } = await callModel(deps, instruments, ctx, {
      task: args.task,
      effectKey: args.effectKey,
      turn,
      role: args.role,
      modelRef: args.modelRef,
      prompt: args.prompt.prompt,
      step: args.step,
      attempt: args.attempt,
      request: {
        system: args.prompt.system,
        messages: [...messages],
        tools: IMPLEMENTER_TOOLS,
        maxOutputTokens: deps.settings.maxOutputTokens,
        cacheHint: true,
      },
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
    if (toolCalls.length === 0) return response.text || "done";
    messages.push({ role: "assistant", content: response.content });
    const results: UserPart[] = [];
    let finished: string | undefined;
    for (const call of toolCalls) {
      const outcome = await runTool(args.tree, call.name, call.input, deps.settings.protectedPaths);
      if (outcome.isError)
        deps.logger.warn(
          { task: args.task, step: args.step, role: args.role, tool: call.name },
          "tool call refused",
        );
      finished ??= outcome.finished;
      results.push({
        type: "tool_result",
        toolCallId: call.id,
        content: outcome.content,
        isError: outcome.isError,
      });
    }
    if (finished !== undefined) return finished;
    messages.push({ role: "user", content: results });
  }
  throw new ModelOutputError(
    "tool_limit",
    `${args.role} did not finish within ${deps.settings.maxToolTurns} tool turns`,
  );
}
