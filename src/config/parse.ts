import { readYaml } from "../core/text/yaml-source.ts";
import type { z } from "zod";
import { InvalidInputError, type Problem } from "../core/errors.ts";
import { validateRouting } from "../core/routing/route.ts";
import type { RoutingConfig } from "../core/routing/rules.ts";
import { RepoConfig } from "./schema.ts";

/** Parses a config text; every problem (YAML, schema, cross-review) is reported at once. */
export function parseConfig<S extends z.ZodType<{ routing: RoutingConfig }>>(
  schema: S,
  text: string,
  source: string,
): z.infer<S> {
  const { doc } = readYaml(text, source);
  const parsed = schema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    throw new InvalidInputError(
      source,
      parsed.error.issues.map((i): Problem => ({
        path: i.path.map(String).join("."),
        message: i.message,
      })),
    );
  }
  const problems = validateRouting(parsed.data.routing);
  if (problems.length > 0) throw new InvalidInputError(source, problems);
  return parsed.data;
}

export function parseRepoConfig(text: string, source: string): RepoConfig {
  return parseConfig(RepoConfig, text, source);
}
