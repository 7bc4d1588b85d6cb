// Wire format of the Anthropic Messages API (POST /v1/messages), as in the API reference
// (platform.claude.com/docs/en/api/messages) and the error reference (…/api/errors).
import nock from "nock";
import { AnthropicModel } from "../../../src/providers/anthropic/anthropic-model.ts";
import {
  serveJson,
  type CanonicalAnswer,
  type CanonicalUsage,
  type Wire,
  type WireError,
} from "./types.ts";

const HOST = "https://api.anthropic.com";
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

export function messageOf(answer: CanonicalAnswer, model: string): Body {
  const content: Body[] = [];
  if (answer.object !== undefined)
    content.push({ type: "text", text: JSON.stringify(answer.object) });
  else if (answer.text !== undefined) content.push({ type: "text", text: answer.text });
  for (const call of answer.toolCalls ?? [])
    content.push({ type: "tool_use", id: call.id, name: call.name, input: call.input });
  const stop = {
    end: "end_turn",
    tool_use: "tool_use",
    max_tokens: "max_tokens",
    refusal: "refusal",
  };
  return {
    id: "msg_01XFDUDYJgAACzvnptvVoYEL",
    type: "message",
    role: "assistant",
    model,
    content,
    stop_reason: stop[answer.stop],
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
  return {
    label: "Anthropic (Messages API)",
    provider: "anthropic",
    model,
    reportsCacheWrites: true,
    client: () => new AnthropicModel({ apiKey: "sk-ant-test-0000000000000000" }),
    answer(answer, seen) {
      nock(HOST)
        .post("/v1/messages", (body: Body) => {
          seen?.(body);
          return true;
        })
        .reply(200, messageOf(answer, model), { "request-id": "req_011CSHoEeqs5C35K2UUqR7Fy" });
    },
    fail(error, times = 1) {
      const [status, type, message, headers] = ERRORS[error];
      nock(HOST)
        .post("/v1/messages")
        .times(times)
        .reply(
          status,
          { type: "error", error: { type, message }, request_id: "req_011CSHoEeqs5C35K2UUqR7Fy" },
          headers,
        );
    },
    serve: (reply) => serveJson(HOST, "/v1/messages", (body) => messageOf(reply(body), model)),
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
    },
  };
}
