import OpenAI from "openai";
import type { LanguageModel, ModelRequest, ModelResponse } from "../../ports/language-model.ts";
import { checkBaseURL } from "./base-url.ts";
import { fromChatCompletion, toChatParams, type StructuredMode } from "./chat.ts";
import { toProviderError } from "./errors.ts";
import { fromResponse, toResponseParams } from "./responses.ts";

export interface OpenAICompatibleOptions {
  /** The provider name in model references (`openai`, `ollama`, `openrouter`, …). */
  readonly provider: string;
  readonly baseURL: string;
  /** Servers that need none (Ollama, LM Studio) get a placeholder. */
  readonly apiKey?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** `responses` for OpenAI's own models (tools need it); `chat` for every compatible server. */
  readonly api: "chat" | "responses";
  /** How structured output is first asked for on `chat`; a server that refuses `json_schema` drops to JSON mode. */
  readonly structured?: StructuredMode;
  readonly maxTokensField?: "max_tokens" | "max_completion_tokens";
  readonly promptCacheKey?: boolean;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/**
 * OpenAI and every server that speaks its API (Ollama, vLLM, LM Studio, OpenRouter, LiteLLM,
 * Azure OpenAI), through the `openai` SDK with its retries off.
 */
export class OpenAICompatibleModel implements LanguageModel {
  readonly provider: string;
  readonly #client: OpenAI;
  readonly #options: OpenAICompatibleOptions;
  #structured: StructuredMode;

  constructor(options: OpenAICompatibleOptions) {
    checkBaseURL(options.provider, options.baseURL);
    this.provider = options.provider;
    this.#options = options;
    this.#structured = options.structured ?? "json_schema";
    this.#client = new OpenAI({
      apiKey: options.apiKey ?? "not-needed",
      baseURL: options.baseURL,
      maxRetries: 0,
      timeout: options.timeoutMs ?? 600_000,
      ...(options.headers ? { defaultHeaders: { ...options.headers } } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  async generate(
    request: ModelRequest,
    options: { signal?: AbortSignal } = {},
  ): Promise<ModelResponse> {
    const signal = options.signal ? { signal: options.signal } : {};
    try {
      if (this.#options.api === "responses") {
        const response = await this.#client.responses.create(
          toResponseParams(request, {
            provider: this.provider,
            promptCacheKey: this.#options.promptCacheKey ?? false,
          }),
          signal,
        );
        return fromResponse(response, request, this.provider);
      }
      return await this.#chat(request, signal);
    } catch (error) {
      throw toProviderError(this.provider, error, this.#options.baseURL);
    }
  }

  async #chat(request: ModelRequest, signal: { signal?: AbortSignal }): Promise<ModelResponse> {
    const send = async (structured: StructuredMode) =>
      fromChatCompletion(
        await this.#client.chat.completions.create(
          toChatParams(request, {
            structured,
            maxTokensField: this.#options.maxTokensField ?? "max_tokens",
            promptCacheKey: this.#options.promptCacheKey ?? false,
            provider: this.provider,
          }),
          signal,
        ),
        request,
        this.provider,
      );
    try {
      return await send(this.#structured);
    } catch (error) {
      // A server without the json_schema format refuses it once; JSON mode and our check follow.
      if (!request.schema || this.#structured !== "json_schema" || !refusesSchema(error))
        throw error;
      this.#structured = "json_object";
      return await send("json_object");
    }
  }
}

function refusesSchema(error: unknown): boolean {
  if (!(error instanceof OpenAI.APIError) || error.status !== 400) return false;
  return /response_format|json_schema/i.test(error.message);
}
