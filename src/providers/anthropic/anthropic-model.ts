import Anthropic from "@anthropic-ai/sdk";
import type { LanguageModel, ModelRequest, ModelResponse } from "../../ports/language-model.ts";
import { toProviderError } from "./errors.ts";
import { toMessageParams } from "./map-request.ts";
import { fromMessage } from "./map-response.ts";

export interface AnthropicOptions {
  readonly apiKey: string;
  readonly baseURL?: string;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

/** Claude through the Messages API. The SDK's own retries are off: ours is the one policy. */
export class AnthropicModel implements LanguageModel {
  readonly provider = "anthropic";
  readonly #client: Anthropic;

  constructor(options: AnthropicOptions) {
    this.#client = new Anthropic({
      apiKey: options.apiKey,
      maxRetries: 0,
      timeout: options.timeoutMs ?? 600_000,
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  async generate(
    request: ModelRequest,
    options: { signal?: AbortSignal } = {},
  ): Promise<ModelResponse> {
    try {
      const message = await this.#client.messages.create(
        toMessageParams(request),
        options.signal ? { signal: options.signal } : {},
      );
      return fromMessage(message, request);
    } catch (error) {
      throw toProviderError(error);
    }
  }
}
