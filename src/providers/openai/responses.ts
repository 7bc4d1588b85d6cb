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
 * conversation as input items. Nothing is stored on OpenAI's side (`store: false`), so the
 * reasoning items come back with their encrypted content (`include`), and an assistant turn goes
 * back as the output items it was, in their order: a reasoning item is followed by the items
 * that depend on it ("Keeping reasoning items in context").
 */
export function toResponseParams(
  request: ModelRequest,
  options: { readonly provider: string; readonly promptCacheKey: boolean },
): Params {
  const input: InputItem[] = [];
  for (const message of request.messages) {
    if (message.role === "assistant") {
      for (const part of message.content) input.push(...inputItems(part, options.provider));
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
    include: ["reasoning.encrypted_content"],
    ...(request.effort ? { reasoning: { effort: request.effort } } : {}),
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
    ...(options.promptCacheKey
      ? { prompt_cache_key: `orchestrator:${request.tag.task}:${request.tag.role}` }
      : {}),
  };
}

/** One part of an assistant turn as input items: the provider's own item when we kept it. */
function inputItems(part: AssistantPart, provider: string): InputItem[] {
  const own = part.verbatim?.provider === provider ? part.verbatim.data : undefined;
  if (own) return [own as unknown as InputItem];
  switch (part.type) {
    case "text":
      return [{ role: "assistant", content: part.text }];
    case "tool_call":
      return [
        {
          type: "function_call",
          call_id: part.id,
          name: part.name,
          arguments: JSON.stringify(part.input),
        },
      ];
    case "reasoning":
      return [];
  }
}

/**
 * A Responses API answer in our terms; `input_tokens` includes cached tokens, so they are taken
 * out. Every output item is kept as it came (`verbatim`), reasoning items included.
 */
export function fromResponse(
  response: OpenAI.Responses.Response,
  request: ModelRequest,
  provider: string,
): ModelResponse {
  const content: AssistantPart[] = [];
  let refusal: string | undefined;
  const verbatim = (item: object) => ({ provider, data: { ...item } });
  for (const item of response.output) {
    if (item.type === "reasoning")
      content.push({
        type: "reasoning",
        verbatim: { ...verbatim(item), opaque: ["encrypted_content"] },
      });
    else if (item.type === "message") {
      const texts: string[] = [];
      for (const part of item.content) {
        if (part.type === "output_text") texts.push(part.text);
        else refusal = part.refusal;
      }
      if (texts.length > 0)
        content.push({ type: "text", text: texts.join(""), verbatim: verbatim(item) });
    } else if (item.type === "function_call") {
      content.push({
        type: "tool_call",
        id: item.call_id,
        name: item.name,
        input: parseArguments(item.arguments),
        verbatim: verbatim(item),
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
    usage: cachedUsage(
      {
        prompt: u?.input_tokens ?? 0,
        cached: u?.input_tokens_details.cached_tokens ?? 0,
        output: u?.output_tokens ?? 0,
        reasoning: u?.output_tokens_details.reasoning_tokens ?? 0,
      },
      provider,
    ),
  };
}
