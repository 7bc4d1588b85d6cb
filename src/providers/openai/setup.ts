import { lazyModel } from "../lazy-model.ts";
import { checkBaseURL } from "./base-url.ts";
import type { ProviderSetup } from "../setup.ts";
import type { OpenAICompatibleModel } from "./openai-model.ts";

type Options = ConstructorParameters<typeof OpenAICompatibleModel>[0];
/** Checked now (a bad URL stops the start naming it); the SDK is loaded at the first call. */
function compatible(options: Options) {
  checkBaseURL(options.provider, options.baseURL);
  return lazyModel(
    options.provider,
    async () => new (await import("./openai-model.ts")).OpenAICompatibleModel(options),
  );
}

/**
 * OpenAI itself: the Responses API (its models need it for tools), prompt cache keys. Also any
 * server with OpenAI's Responses API at `OPENAI_BASE_URL` (Azure OpenAI's v1 API, a LiteLLM
 * proxy), with `OPENAI_HEADERS` (a JSON object) for the headers such a server wants, e.g.
 * Azure's `api-key`. Header values are treated as secrets.
 */
export const openaiSetup: ProviderSetup = {
  name: "openai",
  env: ["OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_HEADERS"],
  create(env) {
    const apiKey = env["OPENAI_API_KEY"];
    if (!apiKey) return null;
    const headers = headersFrom(env["OPENAI_HEADERS"]);
    return {
      client: compatible({
        provider: "openai",
        baseURL: env["OPENAI_BASE_URL"] ?? "https://api.openai.com/v1",
        apiKey,
        api: "responses",
        promptCacheKey: true,
        ...(headers ? { headers } : {}),
      }),
      secrets: [apiKey, ...Object.values(headers ?? {}).filter((v) => v.length >= 8)],
    };
  },
};

function headersFrom(raw: string | undefined): Record<string, string> | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new Error('OPENAI_HEADERS must be a JSON object, e.g. {"api-key":"…"}');
  }
  if (
    typeof value !== "object" ||
    value === null ||
    Array.isArray(value) ||
    !Object.values(value).every((v) => typeof v === "string")
  )
    throw new Error("OPENAI_HEADERS must be a JSON object of header names to string values");
  return value as Record<string, string>;
}

/** Ollama's OpenAI-compatible endpoint; models are local (priced at 0 unless configured). */
export const ollamaSetup: ProviderSetup = {
  name: "ollama",
  env: ["OLLAMA_BASE_URL"],
  create(env) {
    const baseURL = env["OLLAMA_BASE_URL"];
    if (!baseURL) return null;
    return {
      client: compatible({ provider: "ollama", baseURL, api: "chat" }),
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
      client: compatible({
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
