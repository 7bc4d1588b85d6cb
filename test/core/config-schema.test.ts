import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { configSchemas } from "../../src/config/json-schema.ts";
import { AppRepoConfig } from "../../src/config/app-config.ts";
import { parseConfig } from "../../src/config/parse.ts";
import { InvalidInputError } from "../../src/core/errors.ts";

describe("config schemas", () => {
  it("the JSON Schemas in schema/ are generated from the zod schemas (run `npm run schema`)", async () => {
    for (const [file, schema] of Object.entries(configSchemas())) {
      const committed = JSON.parse(
        await readFile(new URL(`../../schema/${file}`, import.meta.url), "utf8"),
      ) as unknown;
      expect(committed, file).toEqual(JSON.parse(JSON.stringify(schema)));
    }
  });

  it(".github/orchestrator.yml: defaults, and one error listing every problem", () => {
    expect(parseConfig(AppRepoConfig, "", "c")).toMatchObject({
      label: "orchestrate",
      state_branch: "orchestrator/state",
      branch_prefix: "orchestrator/issue-",
      gate: { trusted_apps: ["github-actions"] },
    });
    try {
      parseConfig(
        AppRepoConfig,
        "label: ''\nstate_branch: ../x\ngate:\n  trusted_apps: []\nbogus: 1\n",
        "c",
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).problems.map((p) => p.path).sort()).toEqual([
        "",
        "gate.trusted_apps",
        "label",
        "state_branch",
      ]);
    }
  });
});
