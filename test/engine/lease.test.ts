import { describe, expect, it } from "vitest";
import { LeaseHeldError } from "../../src/core/errors.ts";
import { branchLog, demoTask, FIXED_NOW, harness } from "../fakes/harness.ts";

describe("one worker per task", () => {
  it("two engines on one task give one result: the second finds the lease held", async () => {
    const h = await harness();
    const a = await h.host({ owner: "worker-a" });
    const b = await h.host({ owner: "worker-b" });
    const task = await demoTask();
    const [docA, docB] = await Promise.all([a.engine.start(task), b.engine.start(task)]);
    expect(docA.id).toBe(docB.id);
    // Whoever created the task holds its lease; the other worker is refused before any call.
    const holder = (await a.store.load(task.id))?.document.lease?.owner;
    expect(["worker-a", "worker-b"]).toContain(holder);
    const other = holder === "worker-a" ? b : a;
    await expect(other.engine.run(task.id)).rejects.toBeInstanceOf(LeaseHeldError);
    expect(h.replay.requests).toHaveLength(0);
    const results = await Promise.allSettled([a.engine.run(task.id), b.engine.run(task.id)]);
    const done = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r) => r.status === "rejected");
    expect(done.length).toBeGreaterThanOrEqual(1);
    for (const r of refused) expect(r.reason).toBeInstanceOf(LeaseHeldError);
    const final = (await a.store.load(task.id))?.document;
    expect(final?.state).toBe("done");
    expect(final?.lease).toBeNull();
    expect(await branchLog(h.repo, final?.baseCommit ?? "", final?.branch ?? "")).toHaveLength(5);
    expect(h.replay.requests).toHaveLength(17);
  });

  it("an expired lease is taken over", async () => {
    const h = await harness();
    const a = await h.host({ owner: "worker-a" });
    const task = await demoTask();
    await a.engine.start(task);
    const stored = await a.store.load(task.id);
    await a.store.save({
      document: {
        ...stored!.document,
        lease: { owner: "dead-worker", until: new Date(FIXED_NOW - 1).toISOString() },
      },
      expectedVersion: stored!.version,
      runLog: "",
    });
    expect((await a.engine.run(task.id)).state).toBe("done");
  });

  it("a live lease held by another worker is respected", async () => {
    const h = await harness();
    const a = await h.host({ owner: "worker-a" });
    const task = await demoTask();
    await a.engine.start(task);
    const stored = await a.store.load(task.id);
    await a.store.save({
      document: {
        ...stored!.document,
        lease: { owner: "other", until: new Date(FIXED_NOW + 60_000).toISOString() },
      },
      expectedVersion: stored!.version,
      runLog: "",
    });
    await expect(a.engine.run(task.id)).rejects.toBeInstanceOf(LeaseHeldError);
    expect(h.replay.requests).toHaveLength(0);
  });
});

describe("a lease left by a process that died on this host", () => {
  it("is taken over at once, without waiting for it to expire", async () => {
    const { spawnSync } = await import("node:child_process");
    const { hostname } = await import("node:os");
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
    const h = await harness();
    const a = await h.host({ owner: `${hostname()}:${String(process.pid)}` });
    const task = await demoTask();
    await a.engine.start(task);
    const stored = await a.store.load(task.id);
    const lease = {
      owner: `${hostname()}:${String(dead)}`,
      until: new Date(FIXED_NOW + 600_000).toISOString(),
    };
    await a.store.save({
      document: { ...stored!.document, lease },
      expectedVersion: stored!.version,
      runLog: "",
    });
    expect((await a.engine.run(task.id)).state).toBe("done");
  });
});
