import type Anthropic from "@anthropic-ai/sdk";
import type { Message, ModelRequest } from "../../ports/language-model.ts";

type Params = Anthropic.Messages.MessageCreateParamsNonStreaming;
type Block = Anthropic.Messages.ContentBlockParam;

/**
 * Our request in the Messages API's terms. Structured output uses the API's JSON schema output
 * format (forcing a tool is refused by the current models). Cache breakpoints go on the system
 * prompt (caching the tools before it) and on the first user message, which holds the
 * repository context and the task; later turns reuse that prefix.
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
    messages: request.messages.map((m, i) => toParam(m, i === 0 && request.cacheHint === true)),
    ...(tools ? { tools } : {}),
    ...(request.schema
      ? {
          output_config: {
            format: { type: "json_schema", schema: closedObjects(request.schema.jsonSchema) },
          },
        }
      : {}),
  };
}

/** The API's schema format wants every object closed; ours are checked again with zod anyway. */
function closedObjects(schema: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { $schema: _, ...rest } = schema;
  const close = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(close);
    if (typeof node !== "object" || node === null) return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = close(v);
    if (out["type"] === "object" && out["additionalProperties"] === undefined)
      out["additionalProperties"] = false;
    return out;
  };
  return close(rest) as Record<string, unknown>;
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
