import { ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { StateBranchStore } from "../../src/adapters/github/state/state-branch-store.ts";
import type { GitHub } from "../../src/adapters/github/api/client.ts";
import { StateConflictError } from "../../src/core/errors.ts";
import { FakeGitHub } from "../fakes/fake-github.ts";
import { newDoc } from "../fakes/machine.ts";

let fake: FakeGitHub | undefined;
afterEach(() => {
  fake?.stop();
  fake = undefined;
});

function store(github: FakeGitHub): StateBranchStore {
  const client: GitHub = new ProbotOctokit({
    auth: { token: "ghs_test" },
    throttle: { enabled: false },
    retry: { enabled: false },
  });
  return new StateBranchStore({
    github: client,
    repo: { owner: github.owner, repo: github.repo },
    branch: "orchestrator/state",
  });
}

describe("StateBranchStore", () => {
  it("creates the branch as an orphan, saves one commit per save, and skips unchanged saves", async () => {
    fake = new FakeGitHub().start();
    const s = store(fake);
    const v1 = await s.save({ document: newDoc(), expectedVersion: null, runLog: "log" });
    const head = fake.refs.get("heads/orchestrator/state");
    const save = fake.commits.get(head ?? "");
    expect(save?.parents).toHaveLength(1);
    // The branch starts at an orphan commit of its own: no history shared with the code.
    const root = fake.commits.get(save?.parents[0] ?? "");
    expect(root?.parents).toEqual([]);
    expect([...(fake.trees.get(root?.tree ?? "")?.keys() ?? [])].sort()).toEqual([
      "README.md",
      "open/README.md",
    ]);
    expect(fake.stateFile("tasks/T1.json")).toContain('"state": "queued"');
    expect(fake.stateFile("runs/T1.md")).toBe("log");
    expect(await s.save({ document: newDoc(), expectedVersion: v1, runLog: "log" })).toBe(v1);
    expect(fake.refs.get("heads/orchestrator/state")).toBe(head);
    expect((await s.load("T1"))?.version).toBe(v1);
  });

  it("two stores saving the same task from the same version: one wins, the other is told, nothing is lost", async () => {
    fake = new FakeGitHub().start();
    const v1 = await store(fake).save({ document: newDoc(), expectedVersion: null, runLog: "" });
    const [a, b] = [store(fake), store(fake)];
    const results = await Promise.allSettled([
      a.save({ document: { ...newDoc(), state: "planning" }, expectedVersion: v1, runLog: "a" }),
      b.save({ document: { ...newDoc(), state: "cancelled" }, expectedVersion: v1, runLog: "b" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected");
    expect((lost as PromiseRejectedResult).reason).toBeInstanceOf(StateConflictError);
    const winner = results[0].status === "fulfilled" ? "planning" : "cancelled";
    expect((await store(fake).load("T1"))?.document.state).toBe(winner);
  });

  it("two tasks saving at once both land: the later one is rebased on the new head", async () => {
    const github = new FakeGitHub().start();
    fake = github;
    const [a, b] = [store(github), store(github)];
    await a.save({ document: newDoc(), expectedVersion: null, runLog: "" });
    await b.load("T1");
    let moved = false;
    github.beforeRefUpdate = () => {
      if (moved) return;
      moved = true;
      // Another task's save lands between this save's commit and its ref update.
      github.commitFile("orchestrator/state", "tasks/T3.json", "{}");
    };
    const other = { ...newDoc(), id: "T2" };
    await b.save({ document: other, expectedVersion: null, runLog: "" });
    expect(fake.stateFile("tasks/T1.json")).toBeDefined();
    expect(fake.stateFile("tasks/T2.json")).toBeDefined();
    expect(fake.stateFile("tasks/T3.json")).toBe("{}");
    expect(moved).toBe(true);
  });

  it("a branch written before the index of open tasks is read once, then indexed", async () => {
    fake = new FakeGitHub().start();
    fake.refs.set("heads/orchestrator/state", "");
    fake.commitFile("orchestrator/state", "README.md", "state");
    const running = { ...newDoc(), id: "7", state: "planning" as const };
    const ended = { ...newDoc(), id: "8", state: "done" as const };
    fake.commitFile("orchestrator/state", "tasks/7.json", JSON.stringify(running));
    fake.commitFile("orchestrator/state", "tasks/8.json", JSON.stringify(ended));
    expect(await store(fake).openTasks()).toEqual(["7"]);
    expect(fake.stateFile("open/7")).toBeDefined();
    expect(fake.stateFile("open/8")).toBeUndefined();
    const loads = fake.requests.length;
    expect(await store(fake).openTasks()).toEqual(["7"]);
    expect(fake.requests.length - loads).toBe(1);
  });
});
