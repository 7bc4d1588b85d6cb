import { readFile } from "node:fs/promises";
import { ProbotOctokit } from "probot";
import { afterEach, describe, expect, it, vi } from "vitest";
import { StateBranchStore } from "../../src/adapters/github/state/state-branch-store.ts";
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

  it("looks at installed repositories in batches: one GraphQL request per 25 and one conditional issue list each, answered 304 the next time", async () => {
    h = await appHarness();
    for (let i = 1; i < 60; i++)
      h.github.otherRepositories.push({ name: `repo-${String(i)}`, files: new Map() });
    const pass = async () => {
      const before = h?.github.requests.length ?? 0;
      const notModified = h?.github.notModified ?? 0;
      await h?.app.sweep();
      const calls = h?.github.requests.slice(before) ?? [];
      return {
        snapshots: calls.filter((r) => r.operation === "sweepSnapshot").length,
        issueLists: calls.filter((r) => r.path.endsWith("/issues")).length,
        all: calls.length,
        notModified: (h?.github.notModified ?? 0) - notModified,
      };
    };
    const first = await pass();
    expect(first).toMatchObject({ snapshots: 3, issueLists: 60 });
    expect(first.all).toBe(3 + 60 + 2);
    const second = await pass();
    expect(second.notModified).toBeGreaterThanOrEqual(60);
  });

  it("a label event that was lost is found with the config the snapshot read (another label)", async () => {
    h = await appHarness();
    h.github.files.set(".github/orchestrator.yml", "label: do-it\n");
    h.labeled("maintainer", "do-it");
    expect(h.github.stateFile("tasks/42.json")).toBeUndefined();
    await h.app.sweep();
    await h.app.queue.idle();
    const task = JSON.parse(h.github.stateFile("tasks/42.json") ?? "{}") as { state?: string };
    expect(task.state).toBe("gating");
  });
});

describe("the sweep's timer", () => {
  it("starts at a random point of the interval, so replicas started together do not sweep together", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "setInterval"] });
    try {
      h = await appHarness({ overrides: { sweepIntervalMs: 1_000, random: () => 0.25 } });
      const sweeps = () => h?.github.requests.filter((r) => r.path === "/app/installations").length;
      expect(sweeps()).toBe(1); // at start-up
      await vi.advanceTimersByTimeAsync(240);
      await h.app.queue.idle();
      expect(sweeps()).toBe(1);
      await vi.advanceTimersByTimeAsync(20);
      await h.app.queue.idle();
      expect(sweeps()).toBe(2);
      await vi.advanceTimersByTimeAsync(1_000);
      await h.app.queue.idle();
      expect(sweeps()).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
