import { z } from "zod";
import { AppRepoConfig } from "./app-config.ts";
import { RepoConfig } from "./schema.ts";

/** JSON Schemas for editors and validators, generated from the zod schemas (their JSDoc included). */
export function configSchemas(): Record<string, unknown> {
  return {
    "orchestrator.yml.schema.json": {
      title: ".github/orchestrator.yml",
      ...z.toJSONSchema(AppRepoConfig, { io: "input", target: "draft-7" }),
    },
    "config.yaml.schema.json": {
      title: ".orchestrator/config.yaml",
      ...z.toJSONSchema(RepoConfig, { io: "input", target: "draft-7" }),
    },
  };
}
