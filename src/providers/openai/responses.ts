import type OpenAI from "openai";
import type {
  AssistantPart,
  ModelRequest,
  ModelResponse,
  StopReason,
} from "../../ports/language-model.ts";
import { cachedUsage, parseArguments, parseObject, textOf, toolResultText } from "../answers.ts";

type Params = OpenAI.Responses.ResponseCreateParamsNonStreaming;
type InputItem = OpenAI.Responses.ResponseInputItem;

/**
 * Our request for the Responses API (OpenAI's models need it for tools): instructions, then the
 * conversation as input items. Nothing is stored on OpenAI's side (`store: false`).
 */
export function toResponseParams(request: ModelRequest, promptCacheKey: boolean): Params {
  const input: InputItem[] = [];
  for (const message of request.messages) {
    if (message.role === "assistant") {
      for (const part of message.content) {
        if (part.type === "text") input.push({ role: "assistant", content: part.text });
        else
          input.push({
            type: "function_call",
            call_id: part.id,
            name: part.name,
            arguments: JSON.stringify(part.input),
          });
      }
      continue;
    }
    for (const part of message.content)
      if (part.type === "tool_result")
        input.push({
          type: "function_call_output",
          call_id: part.toolCallId,
          output: toolResultText(part),
        });
    const text = textOf(message.content);
    if (text) input.push({ role: "user", content: [{ type: "input_text", text }] });
  }
  const schema = request.schema;
  return {
    model: request.model,
    instructions: request.system,
    input,
    max_output_tokens: request.maxOutputTokens,
    store: false,
    ...(request.tools && !schema
      ? {
          tools: request.tools.map((t) => ({
            type: "function" as const,
            name: t.name,
            description: t.description,
            parameters: { ...t.inputSchema },
            strict: false,
          })),
        }
      : {}),
    ...(schema
      ? {
          text: {
            format: {
              type: "json_schema" as const,
              name: schema.name,
              schema: { ...schema.jsonSchema },
              strict: false,
            },
          },
        }
      : {}),
    ...(promptCacheKey
      ? { prompt_cache_key: `orchestrator:${request.tag.task}:${request.tag.role}` }
      : {}),
  };
}

/** A Responses API answer in our terms; `input_tokens` includes cached tokens, so they are taken out. */
export function fromResponse(
  response: OpenAI.Responses.Response,
  request: ModelRequest,
): ModelResponse {
  const content: AssistantPart[] = [];
  let refusal: string | undefined;
  for (const item of response.output) {
    if (item.type === "message") {
      for (const part of item.content) {
        if (part.type === "output_text") content.push({ type: "text", text: part.text });
        else refusal = part.refusal;
      }
    } else if (item.type === "function_call") {
      content.push({
        type: "tool_call",
        id: item.call_id,
        name: item.name,
        input: parseArguments(item.arguments),
      });
    }
  }
  const text = content.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("");
  const incomplete = response.incomplete_details?.reason;
  let stopReason: StopReason = content.some((p) => p.type === "tool_call") ? "tool_use" : "end";
  if (response.status === "incomplete")
    stopReason =
      incomplete === "max_output_tokens"
        ? "max_tokens"
        : incomplete === "content_filter"
          ? "refusal"
          : "other";
  if (refusal !== undefined) stopReason = "refusal";
  const object = request.schema && stopReason === "end" ? parseObject(text) : undefined;
  const u = response.usage;
  return {
    text: refusal ?? text,
    ...(object === undefined ? {} : { object }),
    content,
    stopReason,
    usage: cachedUsage({
      prompt: u?.input_tokens ?? 0,
      cached: u?.input_tokens_details.cached_tokens ?? 0,
      output: u?.output_tokens ?? 0,
      reasoning: u?.output_tokens_details.reasoning_tokens ?? 0,
    }),
  };
}
