import { describe, expect, it } from "vitest";
import { loadPrompts, PROMPTS_DIR } from "../../src/adapters/local/prompt-files.ts";
import { engineSettings } from "../../src/config/engine-settings.ts";
import { modelRegistry } from "../../src/config/models.ts";
import { RepoConfig } from "../../src/config/schema.ts";
import { implementerPrompt } from "../../src/engine/effects/implement.ts";
import type { WorkTree } from "../../src/ports/workspace.ts";
import { implementing, newDoc } from "../fakes/machine.ts";

/** A tree whose files at the base commit (`base000`) and now differ as a step left them. */
function treeOf(base: Record<string, string>, now: Record<string, string>) {
  const tree: Pick<WorkTree, "readFile" | "filesAt" | "readAt" | "head"> = {
    head: () => Promise.resolve("head111"),
    readFile: (path) => Promise.resolve(now[path] ?? null),
    readAt: (commit, path) => {
      if (commit !== "base000") throw new Error(`read at ${commit}, not the base commit`);
      return Promise.resolve(base[path] ?? null);
    },
    filesAt: () =>
      Promise.resolve(Object.entries(base).map(([path, text]) => ({ path, size: text.length }))),
  };
  return tree;
}

async function promptFor(now: Record<string, string>) {
  const doc0 = newDoc();
  const doc = implementing({
    ...doc0,
    definition: { ...doc0.definition, context_files: ["docs/guide.md", "src/config.js"] },
  });
  const effect = doc.outbox[0];
  if (effect?.kind !== "implement_step") throw new Error("expected a step");
  const step = doc.steps[effect.step];
  if (step === undefined) throw new Error("no step");
  const ctx = {
    prompts: await loadPrompts(PROMPTS_DIR),
    registry: modelRegistry(),
    settings: engineSettings(RepoConfig.parse({}), {
      owner: "test",
      ownerAlive: () => true,
      leaseMs: 60_000,
    }),
    records: () => Promise.resolve({ tasks: [], calls: [] }),
  };
  const base = { "docs/guide.md": "Guide v1\n", "src/config.js": "export const a = 1;\n" };
  return implementerPrompt(ctx, treeOf(base, now), doc, step, effect);
}

describe("the implementer's prompt", () => {
  it("shows the context files as they were at the base commit, in the part every step shares", async () => {
    const unchanged = await promptFor({
      "docs/guide.md": "Guide v1\n",
      "src/config.js": "export const a = 1;\n",
    });
    const edited = await promptFor({
      "docs/guide.md": "Guide v1\n",
      "src/config.js": "export const a = 2; // an earlier step changed this\n",
    });
    // The shared part (the first user part) is the same whatever earlier steps changed.
    expect(edited.userParts[0]).toBe(unchanged.userParts[0]);
    expect(edited.userParts[0]).toContain("export const a = 1;");
    expect(edited.userParts[0]).not.toContain("export const a = 2;");
  });

  it("shows a context file again, as it is now, in the step's part once a step changed it", async () => {
    const edited = await promptFor({
      "docs/guide.md": "Guide v1\n",
      "src/config.js": "export const a = 2; // an earlier step changed this\n",
    });
    const stepPart = edited.userParts.slice(1).join("\n");
    expect(stepPart).toContain("--- src/config.js ---\nexport const a = 2;");
    expect(stepPart).not.toContain("--- docs/guide.md ---");
  });
});
