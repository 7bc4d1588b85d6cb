import type OpenAI from "openai";
import type {
  AssistantPart,
  ModelRequest,
  ModelResponse,
  StopReason,
} from "../../ports/language-model.ts";
import {
  cachedUsage,
  parseArguments,
  parseObject,
  schemaInstruction,
  textOf,
  toolResultText,
} from "../answers.ts";

type Params = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;
type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;

/** How structured output is asked for: the `json_schema` response format, or JSON mode plus the schema in the instructions. */
export type StructuredMode = "json_schema" | "json_object";

export interface ChatOptions {
  readonly structured: StructuredMode;
  /** `max_completion_tokens` (OpenAI, Azure) or `max_tokens` (most compatible servers). */
  readonly maxTokensField: "max_tokens" | "max_completion_tokens";
  /** Send `prompt_cache_key` (OpenAI, Azure, OpenRouter): one per task and role. */
  readonly promptCacheKey: boolean;
  /** `LanguageModel.provider`: only its own reasoning state goes back to a server. */
  readonly provider: string;
}

/**
 * OpenRouter's reasoning state on an assistant message: an array of `reasoning.text` (with a
 * signature), `reasoning.encrypted` and `reasoning.summary` entries that must come back with the
 * tool calls as they were ("Preserving reasoning blocks",
 * openrouter.ai/docs/guides/best-practices/reasoning-tokens). Other servers' reasoning text
 * (Ollama's and vLLM's `reasoning`) is not asked back, and Ollama refuses it in the history.
 */
const DETAILS = "reasoning_details";

/** Our request as a Chat Completions request: system first, then the conversation, tools last. */
export function toChatParams(request: ModelRequest, options: ChatOptions): Params {
  const schema = request.schema;
  const system =
    schema && options.structured === "json_object"
      ? `${request.system}\n\n${schemaInstruction(schema.jsonSchema)}`
      : request.system;
  const messages: ChatMessage[] = [{ role: "system", content: system }];
  for (const message of request.messages) {
    if (message.role === "assistant") {
      const text = message.content.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("");
      const calls = message.content.flatMap((p) =>
        p.type === "tool_call"
          ? [
              {
                id: p.id,
                type: "function" as const,
                function: { name: p.name, arguments: JSON.stringify(p.input) },
              },
            ]
          : [],
      );
      const details = message.content.flatMap((p) =>
        p.type === "reasoning" && p.verbatim.provider === options.provider
          ? ((p.verbatim.data[DETAILS] as unknown[] | undefined) ?? [])
          : [],
      );
      messages.push({
        role: "assistant",
        content: text || null,
        ...(calls.length > 0 ? { tool_calls: calls } : {}),
        // Not in the SDK's type: OpenRouter's extension, sent as it came.
        ...(details.length > 0 ? { [DETAILS]: details } : {}),
      });
      continue;
    }
    // Tool results answer the assistant's calls first; any text follows as a user message.
    for (const part of message.content)
      if (part.type === "tool_result")
        messages.push({
          role: "tool",
          tool_call_id: part.toolCallId,
          content: toolResultText(part),
        });
    const text = textOf(message.content);
    if (text) messages.push({ role: "user", content: text });
  }
  return {
    model: request.model,
    messages,
    [options.maxTokensField]: request.maxOutputTokens,
    // OpenAI's, vLLM's and Ollama's field (Ollama: low, medium, high; docs/api/openai-compatibility).
    ...(request.effort ? { reasoning_effort: request.effort } : {}),
    ...(request.tools && !schema
      ? {
          tools: request.tools.map((t) => ({
            type: "function" as const,
            function: {
              name: t.name,
              description: t.description,
              parameters: { ...t.inputSchema },
            },
          })),
        }
      : {}),
    ...(schema
      ? {
          response_format:
            options.structured === "json_schema"
              ? {
                  type: "json_schema" as const,
                  json_schema: {
                    name: schema.name,
                    schema: { ...schema.jsonSchema },
                    strict: false,
                  },
                }
              : { type: "json_object" as const },
        }
      : {}),
    ...(options.promptCacheKey
      ? { prompt_cache_key: `orchestrator:${request.tag.task}:${request.tag.role}` }
      : {}),
  };
}

const STOP: Partial<Record<string, StopReason>> = {
  stop: "end",
  tool_calls: "tool_use",
  function_call: "tool_use",
  length: "max_tokens",
  content_filter: "refusal",
};

/** A Chat Completions answer in our terms; the prompt count includes cached tokens, so they are taken out. */
export function fromChatCompletion(
  completion: OpenAI.Chat.Completions.ChatCompletion,
  request: ModelRequest,
  provider: string,
): ModelResponse {
  const choice = completion.choices[0];
  const message = choice?.message;
  const content: AssistantPart[] = [];
  const reasoning = (message as Record<string, unknown> | undefined)?.[DETAILS];
  if (Array.isArray(reasoning) && reasoning.length > 0)
    content.push({
      type: "reasoning",
      verbatim: { provider, data: { [DETAILS]: reasoning }, opaque: ["data", "signature"] },
    });
  if (message?.content) content.push({ type: "text", text: message.content });
  for (const call of message?.tool_calls ?? []) {
    if (call.type !== "function") continue;
    content.push({
      type: "tool_call",
      id: call.id,
      name: call.function.name,
      input: parseArguments(call.function.arguments),
    });
  }
  let stopReason: StopReason = STOP[choice?.finish_reason ?? ""] ?? "other";
  if (message?.refusal) stopReason = "refusal";
  const text = message?.refusal ?? message?.content ?? "";
  const object = request.schema && stopReason === "end" ? parseObject(text) : undefined;
  const u = completion.usage;
  const details = u?.prompt_tokens_details as
    { cached_tokens?: number; cache_write_tokens?: number } | undefined;
  return {
    text,
    ...(object === undefined ? {} : { object }),
    content,
    stopReason,
    usage: cachedUsage(
      {
        prompt: u?.prompt_tokens ?? 0,
        cached: details?.cached_tokens ?? 0,
        cacheWrite: details?.cache_write_tokens ?? 0,
        output: u?.completion_tokens ?? 0,
        reasoning: u?.completion_tokens_details?.reasoning_tokens ?? 0,
      },
      provider,
    ),
  };
}
