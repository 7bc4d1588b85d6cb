import type Anthropic from "@anthropic-ai/sdk";
import type {
  AssistantPart,
  ModelRequest,
  ModelResponse,
  StopReason,
} from "../../ports/language-model.ts";
import { parseObject } from "../answers.ts";

const STOP: Partial<Record<string, StopReason>> = {
  end_turn: "end",
  stop_sequence: "end",
  tool_use: "tool_use",
  max_tokens: "max_tokens",
  // "Treat the response as truncated" (handling-stop-reasons): never used as an answer.
  model_context_window_exceeded: "max_tokens",
  refusal: "refusal",
  // A server-tool loop paused (we send no server tools): not an answer either.
  pause_turn: "other",
};

/**
 * The Messages API's answer in our terms; `input_tokens` already excludes cached tokens.
 * Thinking and redacted_thinking blocks are kept whole and in place: with a tool result they must
 * come back complete and unmodified, in their order ("Preserving thinking blocks").
 */
export function fromMessage(
  message: Anthropic.Messages.Message,
  request: ModelRequest,
): ModelResponse {
  const content: AssistantPart[] = [];
  for (const block of message.content) {
    if (block.type === "text") content.push({ type: "text", text: block.text });
    else if (block.type === "tool_use")
      content.push({ type: "tool_call", id: block.id, name: block.name, input: block.input });
    else if (block.type === "thinking" || block.type === "redacted_thinking")
      content.push({
        type: "reasoning",
        verbatim: { provider: "anthropic", data: { ...block }, opaque: ["signature", "data"] },
      });
  }
  const stopReason = STOP[message.stop_reason ?? ""] ?? "other";
  const text = content.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("");
  const object = request.schema && stopReason === "end" ? parseObject(text) : undefined;
  const u = message.usage;
  const reasoning = u.output_tokens_details?.thinking_tokens ?? 0;
  return {
    text,
    ...(object === undefined ? {} : { object }),
    content,
    stopReason,
    usage: {
      input: {
        noCache: u.input_tokens,
        cacheRead: u.cache_read_input_tokens ?? 0,
        cacheWrite: u.cache_creation_input_tokens ?? 0,
      },
      output: u.output_tokens,
      ...(reasoning > 0 ? { reasoning } : {}),
    },
  };
}
