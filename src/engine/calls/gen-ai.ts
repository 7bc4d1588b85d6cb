import type { Attributes } from "@opentelemetry/api";
import type { Usage } from "../../core/cost/usage.ts";
import { ProviderError } from "../../core/errors.ts";
import type { StopReason } from "../../ports/language-model.ts";

/**
 * OpenTelemetry's semantic conventions for generative AI clients, as a model call reports them
 * (open-telemetry/semantic-conventions-genai, docs/gen-ai/gen-ai-spans.md "Inference" and
 * gen-ai-metrics.md). The names are copied here rather than imported from
 * `@opentelemetry/semantic-conventions/incubating`, as that package advises for conventions
 * still in development; a test checks them against it.
 */
export const GEN_AI = {
  operation: "gen_ai.operation.name",
  provider: "gen_ai.provider.name",
  requestModel: "gen_ai.request.model",
  requestMaxTokens: "gen_ai.request.max_tokens",
  responseModel: "gen_ai.response.model",
  finishReasons: "gen_ai.response.finish_reasons",
  inputTokens: "gen_ai.usage.input_tokens",
  outputTokens: "gen_ai.usage.output_tokens",
  cacheReadTokens: "gen_ai.usage.cache_read.input_tokens",
  cacheCreationTokens: "gen_ai.usage.cache_creation.input_tokens",
  reasoningTokens: "gen_ai.usage.reasoning.output_tokens",
  tokenType: "gen_ai.token.type",
  errorType: "error.type",
} as const;

export const GEN_AI_METRICS = {
  tokenUsage: {
    name: "gen_ai.client.token.usage",
    unit: "{token}",
    description: "Number of input and output tokens used.",
    buckets: [
      1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
    ],
  },
  duration: {
    name: "gen_ai.client.operation.duration",
    unit: "s",
    description: "GenAI operation duration.",
    buckets: [
      0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
    ],
  },
} as const;

/** Every call we make is a chat completion (messages in, a message out). */
const OPERATION = "chat";

/**
 * `gen_ai.provider.name` for a model reference's provider: the registry's well-known value
 * where there is one ("If one of them applies, then the respective value MUST be used"), our
 * provider id otherwise (Ollama, OpenRouter, agent CLIs). Gemini is reached through the Gemini
 * API (`generativelanguage.googleapis.com`), which the registry names `gcp.gemini`.
 */
const PROVIDER_NAMES: Readonly<Record<string, string>> = {
  anthropic: "anthropic",
  google: "gcp.gemini",
  openai: "openai",
};

const providerOf = (ref: string): string => ref.slice(0, Math.max(0, ref.indexOf("/")));
const modelOf = (ref: string): string => ref.slice(ref.indexOf("/") + 1);

export const genAiProviderName = (ref: string): string =>
  PROVIDER_NAMES[providerOf(ref)] ?? providerOf(ref);

/** The span's name: `{gen_ai.operation.name} {gen_ai.request.model}`. */
export const genAiSpanName = (ref: string): string => `${OPERATION} ${modelOf(ref)}`;

/** What is known when the call starts (the attributes samplers may use). */
export function genAiRequest(ref: string, maxTokens: number): Attributes {
  return {
    [GEN_AI.operation]: OPERATION,
    [GEN_AI.provider]: genAiProviderName(ref),
    [GEN_AI.requestModel]: modelOf(ref),
    [GEN_AI.requestMaxTokens]: maxTokens,
  };
}

/** The registry's finish reasons for our stop reasons. */
const FINISH_REASONS: Record<StopReason, string> = {
  end: "stop",
  tool_use: "tool_calls",
  max_tokens: "length",
  refusal: "content_filter",
  other: "other",
};

/** `gen_ai.usage.input_tokens` includes the cached tokens ("SHOULD include all types of input tokens"). */
export const inputTokens = (u: Usage): number =>
  u.input.noCache + u.input.cacheRead + u.input.cacheWrite;

/** What the answer says: the model that gave it, why it stopped, the tokens it used. */
export function genAiResponse(answeredBy: string, stop: StopReason, u: Usage): Attributes {
  return {
    [GEN_AI.responseModel]: modelOf(answeredBy),
    [GEN_AI.finishReasons]: [FINISH_REASONS[stop]],
    [GEN_AI.inputTokens]: inputTokens(u),
    [GEN_AI.outputTokens]: u.output,
    [GEN_AI.cacheReadTokens]: u.input.cacheRead,
    [GEN_AI.cacheCreationTokens]: u.input.cacheWrite,
    ...(u.reasoning === undefined ? {} : { [GEN_AI.reasoningTokens]: u.reasoning }),
  };
}

/**
 * An agent CLI's run is an agent invocation (semantic-conventions-genai,
 * docs/gen-ai/gen-ai-agent-spans.md "Invoke agent client span": operation `invoke_agent`, span
 * name `invoke_agent {gen_ai.agent.name}`, kind CLIENT). The agent's name is its CLI
 * (`claude-code`); the model it runs is the request's.
 */
export const GEN_AI_AGENT = {
  agentName: "gen_ai.agent.name",
  operation: "invoke_agent",
} as const;

/** The span's name for an agent run: `invoke_agent {gen_ai.agent.name}`. */
export const genAiAgentSpanName = (ref: string): string =>
  `${GEN_AI_AGENT.operation} ${providerOf(ref)}`;

/** What is known when an agent run starts (the attributes samplers may use). */
export function genAiAgentRequest(ref: string): Attributes {
  return {
    [GEN_AI.operation]: GEN_AI_AGENT.operation,
    [GEN_AI.provider]: genAiProviderName(ref),
    [GEN_AI_AGENT.agentName]: providerOf(ref),
    [GEN_AI.requestModel]: modelOf(ref),
  };
}

/**
 * What an agent run's end says: the model, why it stopped (`stop` when it finished, else the
 * cap we stopped it at: `time_limit`, `turn_limit`, `budget_limit`), the tokens it used.
 */
export function genAiAgentResponse(answeredBy: string, stop: string, u: Usage): Attributes {
  return {
    ...genAiResponse(answeredBy, "end", u),
    [GEN_AI.finishReasons]: [stop === "end" ? FINISH_REASONS.end : stop],
  };
}

/**
 * `error.type`: "a low-cardinality error identifier". A provider failure is its kind
 * (`rate_limit`, `overloaded`, `auth`, …); another error its class name; `_OTHER` otherwise.
 */
export function genAiErrorType(error: unknown): string {
  if (error instanceof ProviderError) return error.kind;
  if (error instanceof Error && error.name && error.name !== "Error") return error.name;
  return "_OTHER";
}
