import type { ProviderSetup } from "../setup.ts";
import { OpenAICompatibleModel } from "./openai-model.ts";

/** OpenAI itself: the Responses API (its models need it for tools), prompt cache keys. */
export const openaiSetup: ProviderSetup = {
  name: "openai",
  env: ["OPENAI_API_KEY", "OPENAI_BASE_URL"],
  create(env) {
    const apiKey = env["OPENAI_API_KEY"];
    if (!apiKey) return null;
    return {
      client: new OpenAICompatibleModel({
        provider: "openai",
        baseURL: env["OPENAI_BASE_URL"] ?? "https://api.openai.com/v1",
        apiKey,
        api: "responses",
        promptCacheKey: true,
      }),
      secrets: [apiKey],
    };
  },
};

/** Ollama's OpenAI-compatible endpoint; models are local (priced at 0 unless configured). */
export const ollamaSetup: ProviderSetup = {
  name: "ollama",
  env: ["OLLAMA_BASE_URL"],
  create(env) {
    const baseURL = env["OLLAMA_BASE_URL"];
    if (!baseURL) return null;
    return {
      client: new OpenAICompatibleModel({ provider: "ollama", baseURL, api: "chat" }),
      secrets: [],
    };
  },
};

/** OpenRouter: many vendors' models behind one key, named `openrouter/<vendor>/<model>`. */
export const openrouterSetup: ProviderSetup = {
  name: "openrouter",
  env: ["OPENROUTER_API_KEY"],
  create(env) {
    const apiKey = env["OPENROUTER_API_KEY"];
    if (!apiKey) return null;
    return {
      client: new OpenAICompatibleModel({
        provider: "openrouter",
        baseURL: "https://openrouter.ai/api/v1",
        apiKey,
        api: "chat",
        promptCacheKey: true,
        headers: { "X-Title": "orchestrator" },
      }),
      secrets: [apiKey],
    };
  },
};
