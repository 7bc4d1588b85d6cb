import type Anthropic from "@anthropic-ai/sdk";
import { transformJSONSchema } from "@anthropic-ai/sdk/lib/transform-json-schema";
import type { AssistantPart, Message, ModelRequest } from "../../ports/language-model.ts";

type Params = Anthropic.Messages.MessageCreateParamsNonStreaming;
type Block = Anthropic.Messages.ContentBlockParam;

/**
 * Our request in the Messages API's terms. Structured output uses the API's JSON schema output
 * format (forcing a tool is refused by the current models), the schema in the subset it takes
 * (every object closed; length, size and range constraints moved into descriptions) by the SDK's
 * own transform; the answer is checked against our full schema afterwards. Cache breakpoints go on the system
 * prompt (caching the tools before it) and on the first user message, which holds the
 * repository context and the task; later turns reuse that prefix. An effort is the API's
 * `output_config.effort` (build-with-claude/effort), beside the format.
 */
export function toMessageParams(request: ModelRequest): Params {
  const cache = request.cacheHint ? { cache_control: { type: "ephemeral" as const } } : {};
  const tools: Anthropic.Messages.Tool[] | undefined = request.schema
    ? undefined
    : request.tools?.map((t) => ({
        name: t.name,
        description: t.description,
        input_schema: asInputSchema(t.inputSchema),
      }));
  return {
    model: request.model,
    max_tokens: request.maxOutputTokens,
    system: [{ type: "text", text: request.system, ...cache }],
    messages: withBreakpoints(request.messages.map(toParam), request.cacheHint === true),
    ...(tools ? { tools } : {}),
    ...(request.schema || request.effort
      ? {
          output_config: {
            ...(request.effort ? { effort: request.effort } : {}),
            ...(request.schema
              ? {
                  format: {
                    type: "json_schema" as const,
                    schema: transformJSONSchema(request.schema.jsonSchema),
                  },
                }
              : {}),
          },
        }
      : {}),
  };
}

/**
 * Cache breakpoints (Anthropic allows four; the system prompt has one): after the first user
 * block, which holds what every call of the task shares (task, plan, repository context), and
 * after the last block, so each turn of a tool loop reads the turns before it from the cache.
 */
function withBreakpoints(
  messages: Anthropic.Messages.MessageParam[],
  cache: boolean,
): Anthropic.Messages.MessageParam[] {
  if (!cache) return messages;
  const mark = (m: number, b: number): void => {
    const message = messages[m];
    const blocks = message && Array.isArray(message.content) ? message.content : null;
    const block = blocks?.[b];
    if (
      !message ||
      !blocks ||
      !block ||
      block.type === "thinking" ||
      block.type === "redacted_thinking"
    )
      return;
    const marked = [...blocks];
    marked[b] = { ...block, cache_control: { type: "ephemeral" } };
    messages[m] = { ...message, content: marked } as Anthropic.Messages.MessageParam;
  };
  mark(0, 0);
  const last = messages.length - 1;
  const lastBlocks = messages[last]?.content;
  if (Array.isArray(lastBlocks) && lastBlocks.length > 0) mark(last, lastBlocks.length - 1);
  return messages;
}

/**
 * An assistant turn goes back as it came: thinking blocks exactly as received, in place (another
 * provider's reasoning is not ours to send); text and tool use as the API gave them.
 */
function assistantBlock(part: AssistantPart): Block[] {
  switch (part.type) {
    case "text":
      return [{ type: "text", text: part.text }];
    case "tool_call":
      return [{ type: "tool_use", id: part.id, name: part.name, input: part.input }];
    case "reasoning":
      return part.verbatim.provider === "anthropic" ? [part.verbatim.data as unknown as Block] : [];
  }
}

function toParam(message: Message): Anthropic.Messages.MessageParam {
  const blocks: Block[] =
    message.role === "assistant"
      ? message.content.flatMap(assistantBlock)
      : message.content.map((p) =>
          p.type === "text"
            ? { type: "text", text: p.text }
            : {
                type: "tool_result",
                tool_use_id: p.toolCallId,
                content: p.content,
                ...(p.isError ? { is_error: true } : {}),
              },
        );
  return { role: message.role, content: blocks };
}

function asInputSchema(
  schema: Readonly<Record<string, unknown>>,
): Anthropic.Messages.Tool.InputSchema {
  const { $schema: _, ...rest } = schema;
  return { ...rest, type: "object" };
}
