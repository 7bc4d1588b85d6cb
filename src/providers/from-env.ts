import { readFile } from "node:fs/promises";
import { InvalidInputError, readFailure } from "../core/errors.ts";
import type { LanguageModel } from "../ports/language-model.ts";
import { parseCassette } from "./replay/cassette.ts";
import { ReplayModels } from "./replay/replay-model.ts";
import { PROVIDERS } from "./registry.ts";

export interface ProviderChoice {
  readonly clients: LanguageModel[];
  readonly replay?: ReplayModels;
  /** Key values to redact everywhere. */
  readonly secrets: string[];
}

/** The model clients for this run: a cassette, or the providers whose keys are in the environment. */
export async function chooseProviders(
  options: { provider?: string | undefined; cassette?: string | undefined },
  env: NodeJS.ProcessEnv,
): Promise<ProviderChoice> {
  if (options.provider === "replay") {
    if (!options.cassette)
      throw new InvalidInputError("--provider replay", [
        { path: "--cassette", message: "a cassette file is required" },
      ]);
    const file = options.cassette;
    const text = await readFile(file, "utf8").catch((error: unknown) => {
      throw new InvalidInputError("--cassette", [
        { path: "--cassette", message: `cannot read ${file}: ${readFailure(error)}` },
      ]);
    });
    const replay = new ReplayModels(parseCassette(text, file));
    return { clients: replay.providers.map((p) => replay.client(p)), replay, secrets: [] };
  }
  if (options.provider !== undefined && options.provider !== "env") {
    throw new InvalidInputError("--provider", [
      {
        path: "--provider",
        message: `unknown provider source '${options.provider}' (use env or replay)`,
      },
    ]);
  }
  const clients: LanguageModel[] = [];
  const secrets: string[] = [];
  const problems: { path: string; message: string }[] = [];
  for (const setup of PROVIDERS) {
    try {
      const made = setup.create(env);
      if (!made) continue;
      clients.push(made.client);
      secrets.push(...made.secrets);
    } catch (error) {
      problems.push({
        path: setup.env[0] ?? setup.name,
        message: `${setup.name}: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
  if (problems.length > 0) throw new InvalidInputError("provider settings", problems);
  if (clients.length === 0) {
    throw new InvalidInputError("providers", [
      {
        path: "environment",
        message: `no model provider is configured: set one of ${PROVIDERS.map((p) => p.env[0]).join(", ")}, or run offline with --provider replay --cassette FILE`,
      },
    ]);
  }
  return { clients, secrets };
}
