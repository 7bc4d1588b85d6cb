import { readYaml } from "../core/text/yaml-source.ts";
import type { z } from "zod";
import { InvalidInputError, type Problem } from "../core/errors.ts";
import type { ModelOverrides, OverridePolicy } from "../core/models/registry.ts";
import { unknownModels } from "../core/models/registry.ts";
import { routedModels, validateRouting } from "../core/routing/route.ts";
import type { RoutingConfig } from "../core/routing/rules.ts";
import { modelRegistry } from "./models.ts";
import { RepoConfig } from "./schema.ts";

/** Configs are short; anything longer is refused before it is parsed. */
export const MAX_CONFIG_CHARS = 64 * 1024;
/** YAML aliases can multiply a small file into a huge value; a config needs few. */
const MAX_ALIASES = 20;

/**
 * Parses a config text; every problem (YAML, schema, models, cross-review) is reported at once.
 */
export function parseConfig<
  S extends z.ZodType<{ routing: RoutingConfig; models: ModelOverrides }>,
>(schema: S, text: string, source: string, policy: OverridePolicy = {}): z.infer<S> {
  if (text.length > MAX_CONFIG_CHARS)
    throw new InvalidInputError(source, [
      {
        path: "",
        message: `the file has ${text.length} characters; a config may have at most ${MAX_CONFIG_CHARS}`,
      },
    ]);
  const { doc } = readYaml(text, source);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    throw new InvalidInputError(source, [
      {
        path: "",
        message: `cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      },
    ]);
  }
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) {
    throw new InvalidInputError(
      source,
      parsed.error.issues.map((i): Problem => ({
        path: i.path.map(String).join("."),
        message: i.message,
      })),
    );
  }
  const problems = [
    ...validateRouting(parsed.data.routing),
    ...modelProblems(parsed.data, { source, ...policy }),
  ];
  if (problems.length > 0) throw new InvalidInputError(source, problems);
  return parsed.data;
}

export function parseRepoConfig(text: string, source: string): RepoConfig {
  return parseConfig(RepoConfig, text, source);
}

/** Models a config adds must be complete; models its routing names must be known. */
function modelProblems(
  config: { routing: RoutingConfig; models: ModelOverrides },
  policy: OverridePolicy,
): Problem[] {
  try {
    return unknownModels(modelRegistry(config.models, policy), routedModels(config.routing));
  } catch (error) {
    if (error instanceof InvalidInputError) return [...error.problems];
    throw error;
  }
}
