import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { StateBranchStore } from "../../src/adapters/github/state/state-branch-store.ts";
import { FileStateStore } from "../../src/adapters/local/file-state-store.ts";
import { StateConflictError } from "../../src/core/errors.ts";
import type { StateStore } from "../../src/ports/state-store.ts";
import { FakeGitHub } from "../fakes/fake-github.ts";
import { newDoc } from "../fakes/machine.ts";

/** A store, and how to open another one on the same storage (a restart, or another worker). */
interface Backing {
  readonly store: StateStore;
  readonly reopen: () => StateStore;
}

let stop: (() => void) | undefined;
afterEach(() => {
  stop?.();
  stop = undefined;
});

const implementations: Record<string, () => Promise<Backing>> = {
  FileStateStore: async () => {
    const directory = await mkdtemp(join(tmpdir(), "contract-store-"));
    return {
      store: new FileStateStore({ directory }),
      reopen: () => new FileStateStore({ directory }),
    };
  },
  StateBranchStore: () => {
    const fake = new FakeGitHub().start();
    stop = () => {
      fake.stop();
    };
    const make = (): StateStore =>
      new StateBranchStore({
        github: new ProbotOctokit({
          auth: { token: "ghs_test" },
          throttle: { enabled: false },
          retry: { enabled: false },
        }),
        repo: { owner: fake.owner, repo: fake.repo },
        branch: "orchestrator/state",
      });
    return Promise.resolve({ store: make(), reopen: make });
  },
};

describe.each(Object.keys(implementations))("StateStore contract: %s", (name) => {
  const backing = (): Promise<Backing> => {
    const make = implementations[name];
    if (!make) throw new Error(`no ${name}`);
    return make();
  };

  it("loads nothing for an unknown task, then what was saved, with its version", async () => {
    const { store, reopen } = await backing();
    expect(await store.load("T1")).toBeNull();
    const v1 = await store.save({ document: newDoc(), expectedVersion: null, runLog: "" });
    expect(await reopen().load("T1")).toEqual({ document: newDoc(), version: v1 });
  });

  it("saves only over the expected version: a stale writer is told, nothing is lost", async () => {
    const { store, reopen } = await backing();
    const v1 = await store.save({ document: newDoc(), expectedVersion: null, runLog: "" });
    await expect(
      store.save({ document: newDoc(), expectedVersion: null, runLog: "" }),
    ).rejects.toBeInstanceOf(StateConflictError);
    const other = reopen();
    const v2 = await other.save({
      document: { ...newDoc(), state: "planning" },
      expectedVersion: v1,
      runLog: "",
    });
    await expect(
      store.save({
        document: { ...newDoc(), state: "cancelled" },
        expectedVersion: v1,
        runLog: "",
      }),
    ).rejects.toBeInstanceOf(StateConflictError);
    expect((await reopen().load("T1"))?.version).toBe(v2);
    expect((await reopen().load("T1"))?.document.state).toBe("planning");
  });

  it("an unchanged save keeps the version", async () => {
    const { store } = await backing();
    const v1 = await store.save({ document: newDoc(), expectedVersion: null, runLog: "" });
    expect(await store.save({ document: newDoc(), expectedVersion: v1, runLog: "" })).toBe(v1);
  });

  it("lists tasks, says which exist, and indexes the open ones", async () => {
    const { store, reopen } = await backing();
    await store.save({ document: { ...newDoc(), id: "A" }, expectedVersion: null, runLog: "" });
    await store.save({
      document: { ...newDoc(), id: "B", state: "done" },
      expectedVersion: null,
      runLog: "",
    });
    const again = reopen();
    expect((await again.list()).sort()).toEqual(["A", "B"]);
    expect(await again.existing(["A", "B", "C"])).toEqual(new Set(["A", "B"]));
    expect(await again.openTasks()).toEqual(["A"]);
  });

  it("journals answers, and is honest about when they become durable", async () => {
    const { store, reopen } = await backing();
    const v1 = await store.save({ document: newDoc(), expectedVersion: null, runLog: "" });
    await store.writeCall({ task: "T1", key: "T1:planning:-:1:plan#0", value: { answer: 42 } });
    expect(await store.readCall({ task: "T1", key: "T1:planning:-:1:plan#0" })).toEqual({
      answer: 42,
    });
    // A restart before the next save keeps the answer only if the journal is immediate.
    const before = await reopen().readCall({ task: "T1", key: "T1:planning:-:1:plan#0" });
    expect(before).toEqual(store.journal === "immediate" ? { answer: 42 } : null);
    await store.save({
      document: { ...newDoc(), state: "planning" },
      expectedVersion: v1,
      runLog: "",
    });
    expect(await reopen().readCall({ task: "T1", key: "T1:planning:-:1:plan#0" })).toEqual({
      answer: 42,
    });
    expect(await reopen().readCall({ task: "T1", key: "other" })).toBeNull();
  });
});
