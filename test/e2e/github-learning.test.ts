import { afterEach, describe, expect, it } from "vitest";
import { implementedBy } from "../fakes/records.ts";
import { appHarness, type AppHarness } from "../fakes/app-harness.ts";
import { taskOf } from "../fakes/app-scenario.ts";

let h: AppHarness | undefined;
afterEach(() => {
  h?.stop();
  h = undefined;
});

describe("routing that learns on GitHub", () => {
  it("a repository with no history of its own starts from its installation's experience: the other repositories' records", async () => {
    h = await appHarness();
    h.github.files.set(".github/orchestrator.yml", "routing:\n  strategy: performance\n");
    h.github.otherRepositories.push({
      name: "sibling",
      files: new Map([
        [
          "records/2026-01.jsonl",
          `${implementedBy("google/gemini-3.5-flash", 40, 0).join("\n")}\n${implementedBy("anthropic/claude-sonnet-5-5", 5, 35).join("\n")}\n`,
        ],
      ]),
    });
    await h.deliver("issues", h.labeled());
    const doc = taskOf(h.github);
    expect(doc?.routing?.implementer.model).toBe("google/gemini-3.5-flash");
    expect(doc?.routing?.implementer.rationale).toMatch(
      /performance: the highest expected success/,
    );
    // The installation's experience is the models' record elsewhere: its 40 tasks (decayed) count.
    expect(doc?.routing?.implementer.rationale).toMatch(/from [1-4]\d\.\d task\(s\)/);
    expect(h.github.unknown).toEqual([]);
  });

  it("the baseline strategy (the default) reads no records", async () => {
    h = await appHarness();
    // The start-up sweep lists the installation's repositories; routing must not again.
    const listings = () =>
      h?.github.requests.filter((r) => r.path === "/installation/repositories").length;
    const before = listings();
    await h.deliver("issues", h.labeled());
    expect(taskOf(h.github)?.routing?.implementer.model).toBe("anthropic/claude-sonnet-5-5");
    expect(listings()).toBe(before);
  });
});
