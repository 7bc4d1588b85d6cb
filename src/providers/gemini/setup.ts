import { lazyModel } from "../lazy-model.ts";
import type { ProviderSetup } from "../setup.ts";
import type { GeminiModel } from "./gemini-model.ts";

const gemini = (options: ConstructorParameters<typeof GeminiModel>[0]) =>
  lazyModel("google", async () => new (await import("./gemini-model.ts")).GeminiModel(options));

/**
 * The Gemini API with `GEMINI_API_KEY` (or `GOOGLE_API_KEY`), or Vertex AI with
 * `GOOGLE_GENAI_USE_VERTEXAI=true`, `GOOGLE_CLOUD_PROJECT` and `GOOGLE_CLOUD_LOCATION`
 * (application default credentials).
 */
export const geminiSetup: ProviderSetup = {
  name: "google",
  env: [
    "GEMINI_API_KEY",
    "GOOGLE_API_KEY",
    "GOOGLE_GENAI_USE_VERTEXAI",
    "GOOGLE_CLOUD_PROJECT",
    "GOOGLE_CLOUD_LOCATION",
    "GEMINI_BASE_URL",
  ],
  create(env) {
    const apiKey = env["GEMINI_API_KEY"] ?? env["GOOGLE_API_KEY"];
    const baseURL = env["GEMINI_BASE_URL"];
    const base = baseURL ? { baseURL } : {};
    if (/^(1|true)$/i.test(env["GOOGLE_GENAI_USE_VERTEXAI"] ?? "")) {
      const project = env["GOOGLE_CLOUD_PROJECT"];
      const location = env["GOOGLE_CLOUD_LOCATION"] ?? "global";
      if (!project)
        throw new Error("GOOGLE_GENAI_USE_VERTEXAI is set but GOOGLE_CLOUD_PROJECT is not");
      return {
        client: gemini({
          vertex: { project, location },
          ...(apiKey ? { apiKey } : {}),
          ...base,
        }),
        secrets: apiKey ? [apiKey] : [],
      };
    }
    if (!apiKey) return null;
    return { client: gemini({ apiKey, ...base }), secrets: [apiKey] };
  },
};
