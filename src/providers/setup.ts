import type { LanguageModel } from "../ports/language-model.ts";

/** How one provider is configured from the host's environment. */
export interface ProviderSetup {
  /** The provider's name in model references (`anthropic` in `anthropic/claude-sonnet-5-5`). */
  readonly name: string;
  /** The environment variables it reads, the first being the one that turns it on. */
  readonly env: readonly string[];
  /**
   * The client, or null when the provider is not configured. Throws, naming the variable, when
   * a value is set but unusable.
   */
  create(env: NodeJS.ProcessEnv): { client: LanguageModel; secrets: string[] } | null;
}
