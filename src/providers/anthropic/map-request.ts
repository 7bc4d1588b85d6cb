import type Anthropic from "@anthropic-ai/sdk";
import type { Message, ModelRequest } from "../../ports/language-model.ts";

type Params = Anthropic.Messages.MessageCreateParamsNonStreaming;
type Block = Anthropic.Messages.ContentBlockParam;

/**
 * Our request in the Messages API's terms. Structured output is a forced tool whose input schema
 * is the answer's schema. Cache breakpoints go on the system prompt (caching tools with it) and
 * on the first user message, which holds the repository context and the task.
 */
export function toMessageParams(request: ModelRequest): Params {
  const cache = request.cacheHint ? { cache_control: { type: "ephemeral" as const } } : {};
  const tools: Anthropic.Messages.Tool[] | undefined = request.schema
    ? [
        {
          name: request.schema.name,
          description: `Give your answer as the input of this tool (one ${request.schema.name} object).`,
          input_schema: asInputSchema(request.schema.jsonSchema),
        },
      ]
    : request.tools?.map((t) => ({
        name: t.name,
        description: t.description,
        input_schema: asInputSchema(t.inputSchema),
      }));
  return {
    model: request.model,
    max_tokens: request.maxOutputTokens,
    system: [{ type: "text", text: request.system, ...cache }],
    messages: request.messages.map((m, i) => toParam(m, i === 0 && request.cacheHint === true)),
    ...(tools ? { tools } : {}),
    ...(request.schema ? { tool_choice: { type: "tool", name: request.schema.name } } : {}),
  };
}

function toParam(message: Message, cacheBreakpoint: boolean): Anthropic.Messages.MessageParam {
  const blocks: Block[] =
    message.role === "assistant"
      ? message.content.map((p) =>
          p.type === "text"
            ? { type: "text", text: p.text }
            : { type: "tool_use", id: p.id, name: p.name, input: p.input },
        )
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
  const last = blocks.at(-1);
  if (cacheBreakpoint && last && last.type === "text")
    blocks[blocks.length - 1] = { ...last, cache_control: { type: "ephemeral" } };
  return { role: message.role, content: blocks };
}

function asInputSchema(
  schema: Readonly<Record<string, unknown>>,
): Anthropic.Messages.Tool.InputSchema {
  const { $schema: _, ...rest } = schema;
  return { ...rest, type: "object" };
}
