import { lazyModel } from "../lazy-model.ts";
import type { ProviderSetup } from "../setup.ts";

export const anthropicSetup: ProviderSetup = {
  name: "anthropic",
  env: ["ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL"],
  create(env) {
    const apiKey = env["ANTHROPIC_API_KEY"];
    if (!apiKey) return null;
    const baseURL = env["ANTHROPIC_BASE_URL"];
    return {
      client: lazyModel(
        "anthropic",
        async () =>
          new (await import("./anthropic-model.ts")).AnthropicModel({
            apiKey,
            ...(baseURL ? { baseURL } : {}),
          }),
      ),
      secrets: [apiKey],
    };
  },
};
