import { readFile } from "node:fs/promises";
import { ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { StateBranchStore } from "../../src/adapters/github/state-branch-store.ts";
import { TaskDocument } from "../../src/core/task/document.ts";
import { appHarness, type AppHarness } from "../fakes/app-harness.ts";

let h: AppHarness | undefined;
afterEach(() => {
  h?.stop();
  h = undefined;
});

const fixture = async (name: string): Promise<TaskDocument> =>
  TaskDocument.parse(
    JSON.parse(
      await readFile(new URL(`../fixtures/state/historical/${name}`, import.meta.url), "utf8"),
    ),
  );

describe("the sweep", () => {
  it("reads the index of open tasks: its cost does not grow with the tasks that ended", async () => {
    h = await appHarness();
    const store = new StateBranchStore({
      github: new ProbotOctokit({
        auth: { token: "t" },
        throttle: { enabled: false },
        retry: { enabled: false },
      }),
      repo: { owner: h.github.owner, repo: h.github.repo },
      branch: "orchestrator/state",
    });
    const done = await fixture("v2-done.json");
    for (let n = 100; n < 130; n++)
      await store.save({ document: { ...done, id: String(n) }, expectedVersion: null, runLog: "" });
    const waiting = await fixture("v2-awaiting_human.json");
    await store.save({ document: { ...waiting, id: "131" }, expectedVersion: null, runLog: "" });
    expect((await store.openTasks()).length).toBe(0);
    const before = h.github.requests.length;
    await h.app.sweep();
    const calls = h.github.requests.slice(before);
    expect(calls.filter((r) => r.operation === "repository").length).toBeLessThanOrEqual(1);
    expect(calls.length).toBeLessThanOrEqual(8);
  });
});
