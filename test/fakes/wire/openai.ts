// Wire formats of OpenAI's API: the Responses API (POST /v1/responses) and Chat Completions
// (POST /v1/chat/completions, which Ollama, vLLM, LM Studio, OpenRouter and LiteLLM copy), as
// in the API reference (developers.openai.com/api/reference) and its error codes guide.
import nock from "nock";
import { OpenAICompatibleModel } from "../../../src/providers/openai/openai-model.ts";
import { inputRefusal } from "./openai-rules.ts";
import { checksReasoningDetails, detailsRefusal, reasoningDetail } from "./openrouter-rules.ts";
import { digest, seal } from "./seal.ts";
import {
  serveJson,
  textOf,
  type Reply,
  type CanonicalAnswer,
  type CanonicalUsage,
  type Wire,
  type WireError,
} from "./types.ts";

type Body = Record<string, unknown>;

const ERRORS: Record<WireError, [number, Body, Record<string, string>?]> = {
  rate_limit: [
    429,
    {
      message:
        "Rate limit reached for gpt-6.2-sol in organization org-test on tokens per min (TPM): Limit 30000, Used 29000, Requested 2000. Please try again in 7s.",
      type: "tokens",
      param: null,
      code: "rate_limit_exceeded",
    },
    { "retry-after-ms": "7000", "x-ratelimit-remaining-tokens": "1000" },
  ],
  quota_minute: [
    429,
    {
      message:
        "Rate limit reached for gpt-6.2-sol in organization org-test on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 7s.",
      type: "requests",
      param: null,
      code: "rate_limit_exceeded",
    },
    { "retry-after-ms": "7000" },
  ],
  quota_exhausted: [
    429,
    {
      message:
        "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
      type: "insufficient_quota",
      param: null,
      code: "insufficient_quota",
    },
  ],
  overloaded: [
    503,
    {
      message: "The server is overloaded or not ready yet.",
      type: "server_error",
      param: null,
      code: null,
    },
  ],
  server: [
    500,
    {
      message: "The server had an error while processing your request. Sorry about that!",
      type: "server_error",
      param: null,
      code: null,
    },
  ],
  auth: [
    401,
    {
      message:
        "Incorrect API key provided: sk-test-***0000. You can find your API key at https://platform.openai.com/account/api-keys.",
      type: "invalid_request_error",
      param: null,
      code: "invalid_api_key",
    },
  ],
  context_length: [
    400,
    {
      message:
        "This model's maximum context length is 1050000 tokens. However, your messages resulted in 1200000 tokens. Please reduce the length of the messages.",
      type: "invalid_request_error",
      param: "messages",
      code: "context_length_exceeded",
    },
  ],
};

function chatUsage(u: CanonicalUsage) {
  return {
    prompt_tokens: u.uncached + u.cacheRead,
    completion_tokens: u.output,
    total_tokens: u.uncached + u.cacheRead + u.output,
    prompt_tokens_details: { cached_tokens: u.cacheRead, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: u.reasoning,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function responsesUsage(u: CanonicalUsage) {
  return {
    input_tokens: u.uncached + u.cacheRead,
    input_tokens_details: { cached_tokens: u.cacheRead },
    output_tokens: u.output,
    output_tokens_details: { reasoning_tokens: u.reasoning },
    total_tokens: u.uncached + u.cacheRead + u.output,
  };
}

/**
 * A chat completion as OpenAI's API writes it; behind OpenRouter, a Gemini 3 model's thought
 * signatures come as `reasoning_details` (one `reasoning.encrypted` entry per signed call, named
 * by the call's id, or one for the answer without calls).
 */
export function chatCompletionOf(answer: CanonicalAnswer, model: string, issued?: string[]): Body {
  const refusal = answer.stop === "refusal" ? "I'm sorry, I can't help with that request." : null;
  const text =
    refusal !== null
      ? null
      : answer.object !== undefined
        ? JSON.stringify(answer.object)
        : (answer.text ?? null);
  const finish = { end: "stop", tool_use: "tool_calls", max_tokens: "length", refusal: "stop" };
  const calls = (answer.toolCalls ?? []).map((c) => ({
    id: c.id,
    type: "function",
    function: { name: c.name, arguments: JSON.stringify(c.input) },
  }));
  const details = !checksReasoningDetails(model)
    ? []
    : calls[0]
      ? [reasoningDetail(model, calls[0])]
      : [
          {
            ...reasoningDetail(model, { id: "", function: { name: "", arguments: text ?? "" } }),
            id: null,
          },
        ];
  for (const d of details) issued?.push(String(d["data"]));
  return {
    id: "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
    object: "chat.completion",
    created: 1741570283,
    model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: text,
          refusal,
          annotations: [],
          ...(calls.length > 0 ? { tool_calls: calls } : {}),
          ...(details.length > 0 ? { reasoning_details: details } : {}),
        },
        logprobs: null,
        finish_reason: finish[answer.stop],
      },
    ],
    usage: chatUsage(answer.usage),
    service_tier: "default",
    system_fingerprint: "fp_06737a9306",
  };
}

/** OpenAI's reasoning models (the GPT-6 family of models.yaml, and the o-series). */
const reasons = (model: string): boolean => /^(gpt-[5-9]|o\d)/.test(model);

/**
 * A Responses answer as the API writes it today (SDK `Response`, `ResponseReasoningItem`): on a
 * reasoning model a reasoning item comes first, its `encrypted_content` populated, and the items
 * after it depend on it (their ids name it). Ids are derived from the request, so the same
 * conversation gets the same ids.
 */
export function responseOf(answer: CanonicalAnswer, body: Body, issued?: string[]): Body {
  const model = textOf(body["model"]);
  const h = digest({ input: body["input"], answer });
  const output: Body[] = [];
  const content: Body[] = [];
  if (answer.stop === "refusal")
    content.push({ type: "refusal", refusal: "I'm sorry, I can't help with that request." });
  else if (answer.object !== undefined)
    content.push({
      type: "output_text",
      text: JSON.stringify(answer.object),
      annotations: [],
      logprobs: [],
    });
  else if (answer.text !== undefined)
    content.push({ type: "output_text", text: answer.text, annotations: [], logprobs: [] });
  let k = 0;
  if (content.length > 0)
    output.push({
      type: "message",
      id: `msg_${h}_${k++}`,
      status: answer.stop === "max_tokens" ? "incomplete" : "completed",
      role: "assistant",
      content,
    });
  for (const call of answer.toolCalls ?? [])
    output.push({
      type: "function_call",
      id: `fc_${h}_${k++}`,
      call_id: call.id,
      name: call.name,
      arguments: JSON.stringify(call.input),
      status: "completed",
    });
  if (reasons(model)) {
    const id = `rs_${h}`;
    const encrypted = seal({ id, next: output[0]?.["id"] ?? null });
    issued?.push(encrypted);
    output.unshift({ type: "reasoning", id, summary: [], encrypted_content: encrypted });
  }
  const incomplete = answer.stop === "max_tokens";
  return {
    id: "resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b",
    object: "response",
    created_at: 1741476542,
    status: incomplete ? "incomplete" : "completed",
    error: null,
    incomplete_details: incomplete ? { reason: "max_output_tokens" } : null,
    instructions: null,
    max_output_tokens: null,
    model,
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: "medium", summary: null },
    store: false,
    temperature: 1,
    text: { format: { type: "text" }, verbosity: "medium" },
    tool_choice: "auto",
    tools: [],
    top_p: 1,
    truncation: "disabled",
    usage: responsesUsage(answer.usage),
    user: null,
    metadata: {},
  };
}

function openaiBill(
  prompt: number,
  cached: number,
  output: number,
  r: { input: number; output: number; cacheRead: number },
) {
  // OpenAI bills uncached prompt tokens at the input rate and cached ones at the cached rate;
  // reasoning tokens are part of the output count.
  return ((prompt - cached) * r.input + cached * r.cacheRead + output * r.output) / 1e6;
}

/**
 * Ollama's `reasoning_effort` (docs/api/openai-compatibility: "high", "medium", "low", "none" on
 * thinking models). A model without thinking refuses it as `"<model>" does not support thinking`
 * (taketwo/llm-ollama#54), a level the model does not take as `think value "<v>" is not
 * supported for this model` (ollama/ollama#12561, with that error shape).
 */
export const OLLAMA_THINKING: Readonly<Record<string, readonly string[]>> = {
  "gpt-oss:20b": ["low", "medium", "high"],
};
function ollamaEffortRefusal(body: Body): unknown {
  const raw = body["reasoning_effort"];
  if (raw === undefined || raw === null) return null;
  const effort = typeof raw === "string" ? raw : JSON.stringify(raw);
  const model = textOf(body["model"]);
  const levels = OLLAMA_THINKING[model];
  const error = (message: string) => ({
    error: { message, type: "api_error", param: null, code: null },
  });
  if (!levels) return error(`"${model}" does not support thinking`);
  if (effort !== "none" && !levels.includes(effort))
    return error(`think value "${effort}" is not supported for this model`);
  return null;
}

const errorReply = (host: string, path: string, error: WireError, times: number) => {
  const [status, body, headers] = ERRORS[error];
  nock(host).post(path).times(times).reply(status, { error: body }, headers);
};

/** OpenAI itself, through the Responses API. */
export function openaiResponsesWire(options: { model?: string } = {}): Wire {
  const host = "https://api.openai.com";
  const path = "/v1/responses";
  const model = options.model ?? "gpt-6.1-terra";
  const input = (body: Body) => (body["input"] as Body[] | undefined) ?? [];
  const issued: string[] = [];
  const reply = (body: Body, answer: CanonicalAnswer): Reply => {
    const refused = inputRefusal(body, reasons(textOf(body["model"])));
    if (refused) {
      const [status, message, param, code] = refused;
      return [
        status,
        { error: { message, type: "invalid_request_error", param, code: code ?? null } },
      ];
    }
    return [200, responseOf(answer, body, issued), { "x-request-id": "req_0a1b2c3d" }];
  };
  return {
    label: "OpenAI (Responses API)",
    provider: "openai",
    model,
    reportsCacheWrites: false,
    reasons: reasons(model),
    client: () =>
      new OpenAICompatibleModel({
        provider: "openai",
        baseURL: `${host}/v1`,
        apiKey: "sk-test-0000000000000000000000000000",
        api: "responses",
        promptCacheKey: true,
      }),
    answer(answer, seen) {
      serveJson(
        host,
        path,
        (body) => {
          seen?.(body);
          return reply(body, answer);
        },
        { once: true },
      );
    },
    fail: (error, times = 1) => errorReply(host, path, error, times),
    serve: (answer) => serveJson(host, path, (body) => reply(body, answer(body))),
    usageOf: responsesUsage,
    bill(raw, r) {
      const u = raw as ReturnType<typeof responsesUsage>;
      return openaiBill(u.input_tokens, u.input_tokens_details.cached_tokens, u.output_tokens, r);
    },
    read: {
      system: (body) => textOf(body["instructions"]),
      lastUserText: (body) => {
        const last = input(body)
          .filter((i) => i["role"] === "user")
          .at(-1);
        const content = last?.["content"];
        return Array.isArray(content)
          ? (content as Body[]).map((c) => textOf(c["text"])).join("")
          : textOf(content);
      },
      toolNames: (body) =>
        ((body["tools"] as Body[] | undefined) ?? []).map((t) => String(t["name"])),
      schema: (body) =>
        ((body["text"] as Body | undefined)?.["format"] as Body | undefined)?.["schema"],
      lastToolResult: (body) => {
        const result = input(body)
          .filter((i) => i["type"] === "function_call_output")
          .at(-1);
        return result === undefined ? undefined : String(result["output"]);
      },
      reasoning: (body) =>
        input(body).flatMap((i) =>
          i["type"] === "reasoning" ? [String(i["encrypted_content"])] : [],
        ),
    },
    issued,
  };
}

/**
 * An OpenAI-compatible server through Chat Completions (Ollama's endpoint by default; OpenRouter
 * with `reasoning_details` and its rule for Gemini 3 models, openrouter-rules.ts).
 */
export function openaiChatWire(
  options: {
    model?: string;
    provider?: string;
    baseURL?: string;
    structured?: "json_schema" | "json_object";
  } = {},
): Wire {
  const baseURL = options.baseURL ?? "http://localhost:11434/v1";
  const url = new URL(baseURL);
  const host = url.origin;
  const path = `${url.pathname.replace(/\/$/, "")}/chat/completions`;
  const model = options.model ?? "qwen3-coder:30b";
  const provider = options.provider ?? "ollama";
  const messages = (body: Body) => (body["messages"] as Body[] | undefined) ?? [];
  const issued: string[] = [];
  const reply = (body: Body, answer: CanonicalAnswer): Reply => {
    const effort = provider === "ollama" ? ollamaEffortRefusal(body) : null;
    if (effort) return [400, effort];
    const refused = detailsRefusal(body);
    if (refused) return [400, refused];
    return [200, chatCompletionOf(answer, textOf(body["model"]), issued)];
  };
  return {
    label: "OpenAI-compatible (Chat Completions)",
    provider,
    model,
    reportsCacheWrites: false,
    reasons: checksReasoningDetails(model),
    client: () =>
      new OpenAICompatibleModel({
        provider,
        baseURL,
        api: "chat",
        ...(options.structured ? { structured: options.structured } : {}),
      }),
    answer(answer, seen) {
      serveJson(
        host,
        path,
        (body) => {
          seen?.(body);
          return reply(body, answer);
        },
        { once: true },
      );
    },
    fail: (error, times = 1) => errorReply(host, path, error, times),
    serve: (answer) => serveJson(host, path, (body) => reply(body, answer(body))),
    usageOf: chatUsage,
    bill(raw, r) {
      const u = raw as ReturnType<typeof chatUsage>;
      return openaiBill(
        u.prompt_tokens,
        u.prompt_tokens_details.cached_tokens,
        u.completion_tokens,
        r,
      );
    },
    read: {
      system: (body) => textOf(messages(body).find((m) => m["role"] === "system")?.["content"]),
      lastUserText: (body) =>
        textOf(
          messages(body)
            .filter((m) => m["role"] === "user")
            .at(-1)?.["content"],
        ),
      toolNames: (body) =>
        ((body["tools"] as { function: Body }[] | undefined) ?? []).map((t) =>
          String(t.function["name"]),
        ),
      schema: (body) =>
        ((body["response_format"] as Body | undefined)?.["json_schema"] as Body | undefined)?.[
          "schema"
        ],
      lastToolResult: (body) => {
        const result = messages(body)
          .filter((m) => m["role"] === "tool")
          .at(-1);
        return result === undefined ? undefined : String(result["content"]);
      },
      reasoning: (body) =>
        messages(body).flatMap((m) =>
          ((m["reasoning_details"] as Body[] | undefined) ?? []).map((d) => String(d["data"])),
        ),
    },
    issued,
  };
}
