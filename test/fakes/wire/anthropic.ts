// Wire format of the Anthropic Messages API (POST /v1/messages), as in the API reference
// (platform.claude.com/docs/en/api/messages) and the error reference (…/api/errors), with the
// request rules of anthropic-rules.ts: a request the API refuses gets the API's error.
import nock from "nock";
import { AnthropicModel } from "../../../src/providers/anthropic/anthropic-model.ts";
import { messagesOf, modelOf, prefixDigest, refusalOf, thinkingOn } from "./anthropic-rules.ts";
import { digest, seal } from "./seal.ts";
import {
  serveJson,
  type Reply,
  type CanonicalAnswer,
  type CanonicalUsage,
  type Wire,
  type WireError,
} from "./types.ts";

const HOST = "https://api.anthropic.com";
const REQUEST_ID = "req_011CSHoEeqs5C35K2UUqR7Fy";
type Body = Record<string, unknown>;

const ERRORS: Record<WireError, [number, string, string, Record<string, string>?]> = {
  rate_limit: [
    429,
    "rate_limit_error",
    "This request would exceed the rate limit for your organization of 50 requests per minute.",
    { "retry-after": "7" },
  ],
  quota_minute: [
    429,
    "rate_limit_error",
    "This request would exceed your organization's rate limit of 30,000 input tokens per minute.",
    { "retry-after": "7" },
  ],
  overloaded: [529, "overloaded_error", "Overloaded"],
  server: [500, "api_error", "Internal server error"],
  quota_exhausted: [
    400,
    "invalid_request_error",
    "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.",
  ],
  auth: [401, "authentication_error", "invalid x-api-key"],
  context_length: [
    400,
    "invalid_request_error",
    "prompt is too long: 1048700 tokens > 1000000 maximum",
  ],
};

function usageOf(u: CanonicalUsage) {
  return {
    input_tokens: u.uncached,
    cache_creation_input_tokens: u.cacheWrite,
    cache_read_input_tokens: u.cacheRead,
    cache_creation: { ephemeral_5m_input_tokens: u.cacheWrite, ephemeral_1h_input_tokens: 0 },
    output_tokens: u.output,
    output_tokens_details: { thinking_tokens: u.reasoning },
    service_tier: "standard",
  };
}

const STOP = {
  end: "end_turn",
  tool_use: "tool_use",
  max_tokens: "max_tokens",
  refusal: "refusal",
};

/**
 * The answer as the Messages API writes it today (SDK `Message`, `ThinkingBlock`,
 * `RedactedThinkingBlock`): on a thinking model, a thinking block first (empty text under the
 * default `display: "omitted"`), a redacted_thinking block before tool use, the text, and a
 * thinking block between tool calls ("text between tool calls comes back in thinking blocks",
 * Sonnet 5.5 page). Each block's signature seals the model, its text and its prefix.
 */
export function messageOf(answer: CanonicalAnswer, body: Body, issued?: string[]): Body {
  const id = String(body["model"]);
  const model = modelOf(body);
  const thinks =
    model !== undefined &&
    thinkingOn(body, model) &&
    (body["thinking"] as { type?: string } | undefined)?.type !== "between_tools";
  const display = (body["thinking"] as { display?: string } | undefined)?.display ?? model?.display;
  const messages = messagesOf(body);
  const content: Body[] = [];
  const r = digest({ messages, answer });
  const planned = thinks ? 1 + (answer.toolCalls?.length ?? 0) : 0;
  let i = 0;
  const think = (words: string, redacted = false) => {
    const p = prefixDigest(
      body,
      [...messages, { role: "assistant", content }],
      messages.length,
      content.length,
    );
    const text = display === "omitted" && answer.thinking === undefined ? "" : words;
    const token = seal({
      k: redacted ? "redacted_thinking" : "thinking",
      m: id,
      p,
      r,
      i: i++,
      n: planned,
      ...(redacted ? {} : { t: digest(text) }),
    });
    issued?.push(token);
    content.push(
      redacted
        ? { type: "redacted_thinking", data: token }
        : { type: "thinking", thinking: text, signature: token },
    );
  };
  const calls = answer.toolCalls ?? [];
  if (thinks) think(answer.thinking ?? "The user wants a change; I should look before I edit.");
  if (thinks && calls.length > 0) think("", true);
  if (answer.object !== undefined)
    content.push({ type: "text", text: JSON.stringify(answer.object), citations: null });
  else if (answer.text !== undefined)
    content.push({ type: "text", text: answer.text, citations: null });
  for (const [n, call] of calls.entries()) {
    if (thinks && n > 0) think("Next, the other file.");
    content.push({ type: "tool_use", id: call.id, name: call.name, input: call.input });
  }
  return {
    id: "msg_01XFDUDYJgAACzvnptvVoYEL",
    type: "message",
    role: "assistant",
    model: id,
    content,
    stop_reason: STOP[answer.stop],
    stop_sequence: null,
    usage: usageOf(answer.usage),
  };
}

export function anthropicWire(options: { model?: string } = {}): Wire {
  const model = options.model ?? "claude-sonnet-5-5";
  const text = (blocks: unknown): string =>
    Array.isArray(blocks)
      ? (blocks as Body[]).map((b) => (typeof b["text"] === "string" ? b["text"] : "")).join("")
      : String(blocks);
  const messages = (body: Body) => body["messages"] as { role: string; content: Body[] | string }[];
  const issued: string[] = [];
  // A request the API refuses gets its error; an accepted one the answer, for the model asked.
  const reply = (body: Body, answer: CanonicalAnswer): Reply => {
    const refused = refusalOf(body);
    if (refused) {
      const [status, type, message] = refused;
      return [
        status,
        { type: "error", error: { type, message }, request_id: REQUEST_ID },
        { "request-id": REQUEST_ID },
      ];
    }
    return [200, messageOf(answer, body, issued), { "request-id": REQUEST_ID }];
  };
  return {
    label: "Anthropic (Messages API)",
    provider: "anthropic",
    model,
    reportsCacheWrites: true,
    reasons: modelOf({ model })?.thinksByDefault ?? false,
    client: () => new AnthropicModel({ apiKey: "sk-ant-test-0000000000000000" }),
    answer(answer, seen) {
      serveJson(
        HOST,
        "/v1/messages",
        (body) => {
          seen?.(body);
          return reply(body, answer);
        },
        { once: true },
      );
    },
    fail(error, times = 1) {
      const [status, type, message, headers] = ERRORS[error];
      nock(HOST)
        .post("/v1/messages")
        .times(times)
        .reply(
          status,
          { type: "error", error: { type, message }, request_id: REQUEST_ID },
          headers,
        );
    },
    serve: (answer) => serveJson(HOST, "/v1/messages", (body) => reply(body, answer(body))),
    usageOf,
    bill(raw, r) {
      const u = raw as ReturnType<typeof usageOf>;
      return (
        (u.input_tokens * r.input +
          u.cache_read_input_tokens * r.cacheRead +
          u.cache_creation_input_tokens * r.cacheWrite +
          u.output_tokens * r.output) /
        1e6
      );
    },
    issued,
    read: {
      system: (body) => text(body["system"]),
      lastUserText: (body) => {
        const last = messages(body)
          .filter((m) => m.role === "user")
          .at(-1);
        return last ? text(last.content) : "";
      },
      toolNames: (body) =>
        ((body["tools"] as Body[] | undefined) ?? []).map((t) => String(t["name"])),
      schema: (body) =>
        (body["output_config"] as { format?: { schema?: unknown } } | undefined)?.format?.schema,
      lastToolResult: (body) => {
        const blocks = messages(body).flatMap((m) => (Array.isArray(m.content) ? m.content : []));
        const result = blocks.filter((b) => b["type"] === "tool_result").at(-1);
        return result === undefined ? undefined : String(result["content"]);
      },
      reasoning: (body) =>
        messagesOf(body).flatMap((m) =>
          m.content.flatMap((b) =>
            b["type"] === "thinking"
              ? [String(b["signature"])]
              : b["type"] === "redacted_thinking"
                ? [String(b["data"])]
                : [],
          ),
        ),
    },
  };
}
