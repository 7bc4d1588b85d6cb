// The Messages API's request rules for a multi-turn conversation, each with the error the API
// answers (status, type, message). Sources beside each rule; the list with links is in
// test/fakes/wire/README.md.
import { ALL_EFFORTS, CLAUDE_MODELS, type ClaudeModel } from "./anthropic-models.ts";
import { digest, unseal } from "./seal.ts";

type Body = Record<string, unknown>;
type Block = Record<string, unknown>;
type Message = { role: string; content: Block[] };
export type Refusal = readonly [status: number, type: string, message: string];

const bad = (message: string): Refusal => [400, "invalid_request_error", message];
const THINKING = new Set(["thinking", "redacted_thinking"]);

/** Messages with string content as one text block, as the API reads them. */
export function messagesOf(body: Body): Message[] {
  return ((body["messages"] as { role: string; content: unknown }[] | undefined) ?? []).map(
    (m) => ({
      role: m.role,
      content:
        typeof m.content === "string"
          ? [{ type: "text", text: m.content }]
          : (m.content as Block[]),
    }),
  );
}

/**
 * What a thinking block at `messages[m].content[b]` was produced after: the top-level `system`
 * and `tools` and everything before it (preserved-thinking: "The top-level system prompt, tools,
 * and messages before the block are its prefix").
 */
export function prefixDigest(body: Body, messages: Message[], m: number, b: number): string {
  const system =
    typeof body["system"] === "string" ? [{ type: "text", text: body["system"] }] : body["system"];
  const before = [
    ...messages.slice(0, m),
    { ...messages[m], content: messages[m]?.content.slice(0, b) },
  ];
  return digest({ system, tools: body["tools"] ?? [], messages: before });
}

export function modelOf(body: Body): ClaudeModel | undefined {
  return CLAUDE_MODELS[String(body["model"])];
}

/** Whether the request thinks: its `thinking` field, or the model's default. */
export function thinkingOn(body: Body, model: ClaudeModel): boolean {
  const type = (body["thinking"] as { type?: string } | undefined)?.type;
  return type === undefined ? model.thinksByDefault : type !== "disabled";
}

/** The first rule the request breaks, as the API would answer it; null when it is accepted. */
export function refusalOf(body: Body): Refusal | null {
  const id = String(body["model"]);
  const model = modelOf(body);
  // Errors reference (…/api/errors): an unknown model is a 404 not_found_error.
  if (!model) return [404, "not_found_error", `model: ${id}`];
  const maxTokens = Number(body["max_tokens"]);
  if (maxTokens > model.maxOutput)
    return bad(
      `max_tokens: ${maxTokens} > ${model.maxOutput}, which is the maximum allowed number of output tokens for ${id}`,
    );
  const thinking = body["thinking"] as { type?: string; budget_tokens?: number } | undefined;
  const refused = thinking?.type ? model.refusesThinking[thinking.type] : undefined;
  if (refused) return bad(refused);
  // ThinkingConfigEnabled (SDK reference): budget_tokens "Must be ≥1024 and less than max_tokens".
  if (thinking?.type === "enabled" && (thinking.budget_tokens ?? 0) < 1024)
    return bad("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
  if (thinking?.type === "enabled" && (thinking.budget_tokens ?? 0) >= maxTokens)
    return bad(
      "`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size",
    );
  const on = thinkingOn(body, model);
  // Sonnet 5.5 page: non-default temperature/top_p/top_k are refused.
  if (model.refusesSampling)
    for (const p of ["temperature", "top_p", "top_k"] as const)
      if (body[p] !== undefined && body[p] !== 1) return bad(`${p} is deprecated for this model.`);
  // thinking-tool-workflows: forcing tool use is refused with thinking (always on the 5.5 family).
  const choice = (body["tool_choice"] as { type?: string } | undefined)?.type;
  if (
    (choice === "any" || choice === "tool") &&
    on &&
    (model.refusesForcedTools || thinking?.type === "enabled")
  )
    return bad("Thinking may not be enabled when tool_choice forces tool use.");
  const effort = effortRefusal(body, model);
  if (effort) return bad(effort);
  const format = (body["output_config"] as { format?: { schema?: unknown } } | undefined)?.format;
  const schema = format?.schema === undefined ? null : schemaRefusal(format.schema);
  if (schema) return bad(`output_config.format.schema: ${schema}`);
  const messages = messagesOf(body);
  if (model.refusesPrefill && messages.at(-1)?.role === "assistant")
    return bad(
      "This model does not support assistant message prefill. The conversation must end with a user message.",
    );
  return pairingRefusal(messages) ?? (on ? thinkingRefusal(body, messages, model) : null);
}

/** `'a', 'b' or 'c'`, as the API's validation messages list allowed values. */
const allowed = (values: readonly string[]): string =>
  values.length === 1
    ? `'${values[0]}'`
    : `${values
        .slice(0, -1)
        .map((v) => `'${v}'`)
        .join(", ")} or '${values.at(-1)}'`;

/**
 * `output_config.effort` (build-with-claude/effort): one of five values, on the models that take
 * it. The messages as the API gives them: a value outside the scale, or outside a model's own
 * levels (`output_config.effort: Input should be 'low', 'medium', 'high' or 'max'` on a model
 * without `xhigh`, as reported from the API and Bedrock); a model without effort: `This model does
 * not support the effort parameter.` (anthropics/claude-code#30010).
 */
function effortRefusal(body: Body, model: ClaudeModel): string | null {
  const config = body["output_config"] as { effort?: unknown } | undefined;
  if (config?.effort === undefined || config.effort === null) return null;
  const value = typeof config.effort === "string" ? config.effort : JSON.stringify(config.effort);
  if (!(ALL_EFFORTS as readonly string[]).includes(value))
    return `output_config.effort: Input should be ${allowed(ALL_EFFORTS)}`;
  if (!model.effort) return "This model does not support the effort parameter.";
  if (!model.effort.includes(value))
    return `output_config.effort: Input should be ${allowed(model.effort)}`;
  return null;
}

const CONSTRAINTS: Record<string, readonly string[]> = {
  number: ["exclusiveMaximum", "exclusiveMinimum", "maximum", "minimum", "multipleOf"],
  integer: ["exclusiveMaximum", "exclusiveMinimum", "maximum", "minimum", "multipleOf"],
  string: ["maxLength", "minLength"],
  array: ["maxItems"],
  object: ["maxProperties", "minProperties"],
};

/**
 * Structured outputs' JSON Schema limitations (build-with-claude/structured-outputs, "JSON Schema
 * limitations": "If you use an unsupported feature, you'll receive a 400 error with details"):
 * every object closed, no numeric, string length or array size constraints but `minItems` 0 or
 * 1. The first and the `minItems` messages are quoted from the API; the others follow the quoted
 * `For 'number' type, properties maximum, minimum are not supported`.
 */
export function schemaRefusal(node: unknown): string | null {
  if (Array.isArray(node)) {
    for (const item of node) {
      const refused = schemaRefusal(item);
      if (refused) return refused;
    }
    return null;
  }
  if (typeof node !== "object" || node === null) return null;
  const schema = node as Record<string, unknown>;
  const types = [schema["type"]].flat().filter((t): t is string => typeof t === "string");
  for (const type of types) {
    if (type === "object" && schema["additionalProperties"] !== false)
      return "For 'object' type, 'additionalProperties' must be explicitly set to false";
    if (
      type === "array" &&
      schema["minItems"] !== undefined &&
      ![0, 1].includes(Number(schema["minItems"]))
    )
      return "For 'array' type, 'minItems' values other than 0 or 1 are not supported";
    const used = (CONSTRAINTS[type] ?? []).filter((k) => schema[k] !== undefined);
    if (used.length > 0)
      return `For '${type}' type, properties ${used.join(", ")} are not supported`;
  }
  for (const [key, value] of Object.entries(schema))
    if (key !== "enum" && key !== "const" && key !== "default") {
      const refused = schemaRefusal(value);
      if (refused) return refused;
    }
  return null;
}

/** Tool use reference: each tool_use gets its tool_result in the next user message, results first. */
function pairingRefusal(messages: Message[]): Refusal | null {
  for (const [m, message] of messages.entries()) {
    if (message.role !== "assistant") continue;
    const uses = message.content
      .filter((b) => b["type"] === "tool_use")
      .map((b) => String(b["id"]));
    const next = messages[m + 1];
    const results = new Set(
      (next?.content ?? [])
        .filter((b) => b["type"] === "tool_result")
        .map((b) => String(b["tool_use_id"])),
    );
    const missing = next ? uses.filter((u) => !results.has(u)) : [];
    if (missing.length > 0)
      return bad(
        `messages.${m + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(", ")}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`,
      );
  }
  for (const [m, message] of messages.entries()) {
    if (message.role !== "user") continue;
    const uses = new Set(
      (messages[m - 1]?.content ?? [])
        .filter((b) => b["type"] === "tool_use")
        .map((b) => String(b["id"])),
    );
    const stray = message.content.filter(
      (b) => b["type"] === "tool_result" && !uses.has(String(b["tool_use_id"])),
    );
    if (stray.length > 0)
      return bad(
        `messages.${m}.content.${message.content.indexOf(stray[0] as Block)}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(stray[0]?.["tool_use_id"])}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`,
      );
  }
  return null;
}

/**
 * Thinking blocks coming back (thinking page, "Preserving thinking blocks"; preserved-thinking;
 * thinking-troubleshooting): the assistant message before the last tool results starts with its
 * thinking; a block is checked against its signature, the latest assistant message's blocks
 * must all be there as sent, and on preserved models a block's prefix must be unchanged.
 */
function thinkingRefusal(body: Body, messages: Message[], model: ClaudeModel): Refusal | null {
  const last = messages.at(-1);
  const final = messages.length - 2;
  if (
    last?.content.some((b) => b["type"] === "tool_result") &&
    messages[final]?.role === "assistant"
  ) {
    const first = messages[final].content[0];
    if (first && !THINKING.has(String(first["type"])))
      return bad(
        `messages.${final}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${String(first["type"])}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable \`thinking\`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking`,
      );
  }
  const latest = messages.findLastIndex((m) => m.role === "assistant");
  const drop =
    (body["thinking"] as { block_binding?: { prefix_mismatch_behavior?: string } } | undefined)
      ?.block_binding?.prefix_mismatch_behavior === "drop_block";
  const seen = new Map<string, number[]>();
  for (const [m, message] of messages.entries()) {
    if (message.role !== "assistant") continue;
    for (const [b, block] of message.content.entries()) {
      const type = String(block["type"]);
      if (!THINKING.has(type)) continue;
      const at = `messages.${m}.content.${b}`;
      const sealed = unseal(type === "thinking" ? block["signature"] : block["data"]);
      if (!sealed || sealed["k"] !== type)
        return bad(
          type === "thinking"
            ? `${at}: Invalid \`signature\` in \`thinking\` block`
            : `${at}: Invalid \`data\` in \`redacted_thinking\` block`,
        );
      if (type === "thinking" && sealed["t"] !== digest(block["thinking"] ?? ""))
        return bad(
          m === latest
            ? `${at}: \`thinking\` or \`redacted_thinking\` blocks in the latest assistant message cannot be modified. These blocks must remain as they were in the original response.`
            : `${at}: Invalid \`signature\` in \`thinking\` block`,
        );
      // A block the current model cannot read is dropped without an error (preserved-thinking).
      const by = String(sealed["m"]);
      if (model.preserved && by !== body["model"] && !model.reads.includes(by)) continue;
      if (model.preserved && sealed["p"] !== prefixDigest(body, messages, m, b) && !drop)
        return bad(
          `${at}: Invalid \`signature\` in \`thinking\` block. The block is bound to a different conversation. Remove the block, or set \`thinking.block_binding.prefix_mismatch_behavior\` to "drop_block".`,
        );
      if (m === latest)
        seen.set(String(sealed["r"]), [
          ...(seen.get(String(sealed["r"])) ?? []),
          Number(sealed["i"]),
          Number(sealed["n"]),
        ]);
    }
  }
  // Each answer's blocks in the latest assistant message: all of them, in their order.
  for (const list of seen.values()) {
    const indices = list.filter((_, i) => i % 2 === 0);
    const count = list[1] ?? 0;
    if (indices.length !== count || indices.some((v, i) => v !== i))
      return bad(
        `messages.${latest}: \`thinking\` or \`redacted_thinking\` blocks in the latest assistant message cannot be modified. These blocks must remain as they were in the original response.`,
      );
  }
  return null;
}
