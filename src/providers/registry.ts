import type { ModelResolver } from "../engine/deps.ts";
import type { LanguageModel } from "../ports/language-model.ts";
import { anthropicSetup } from "./anthropic/setup.ts";
import { geminiSetup } from "./gemini/setup.ts";
import { ollamaSetup, openaiSetup, openrouterSetup } from "./openai/setup.ts";
import type { ProviderSetup } from "./setup.ts";

/** Every provider the environment can configure: a new one is a folder and a line here. */
export const PROVIDERS: readonly ProviderSetup[] = [
  anthropicSetup,
  geminiSetup,
  openaiSetup,
  ollamaSetup,
  openrouterSetup,
];

/** Maps `provider/model` to the client registered for the provider. */
export function createResolver(clients: readonly LanguageModel[]): {
  resolve: ModelResolver;
  providers: ReadonlySet<string>;
} {
  const byProvider = new Map(clients.map((c) => [c.provider, c]));
  const resolve: ModelResolver = (ref) => {
    const slash = ref.indexOf("/");
    const client = byProvider.get(ref.slice(0, slash));
    if (slash < 1 || !client)
      throw new Error(
        `no client for model ${ref}; configured providers: ${[...byProvider.keys()].join(", ")}`,
      );
    return { client, model: ref.slice(slash + 1) };
  };
  return { resolve, providers: new Set(byProvider.keys()) };
}
