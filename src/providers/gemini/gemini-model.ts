import { GoogleGenAI } from "@google/genai";
import type { LanguageModel, ModelRequest, ModelResponse } from "../../ports/language-model.ts";
import { toProviderError } from "./errors.ts";
import { fromGenerateResponse, toGenerateParams } from "./mapping.ts";

export type GeminiOptions = {
  readonly timeoutMs?: number;
  /** Another endpoint (a proxy, a test server). */
  readonly baseURL?: string;
} & (
  | { readonly apiKey: string }
  | {
      /** Vertex AI: the Google Cloud project and region, with application default credentials. */
      readonly vertex: { readonly project: string; readonly location: string };
      readonly apiKey?: string;
    }
);

/** Gemini through `@google/genai` (the Gemini API, or Vertex AI), with the SDK's retries off. */
export class GeminiModel implements LanguageModel {
  readonly provider = "google";
  readonly #client: GoogleGenAI;

  constructor(options: GeminiOptions) {
    const httpOptions = {
      timeout: options.timeoutMs ?? 600_000,
      retryOptions: { attempts: 1 },
      ...(options.baseURL ? { baseUrl: options.baseURL } : {}),
    };
    this.#client =
      "vertex" in options
        ? new GoogleGenAI({
            vertexai: true,
            project: options.vertex.project,
            location: options.vertex.location,
            ...(options.apiKey ? { apiKey: options.apiKey } : {}),
            httpOptions,
          })
        : new GoogleGenAI({ apiKey: options.apiKey, httpOptions });
  }

  async generate(
    request: ModelRequest,
    options: { signal?: AbortSignal } = {},
  ): Promise<ModelResponse> {
    try {
      const response = await this.#client.models.generateContent(
        toGenerateParams(request, options.signal),
      );
      return fromGenerateResponse(response, request);
    } catch (error) {
      throw toProviderError(this.provider, error);
    }
  }
}
