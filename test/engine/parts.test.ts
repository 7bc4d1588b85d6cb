import { describe, expect, it } from "vitest";
import { LeaseHeldError, ProviderError } from "../../src/core/errors.ts";
import { modelRegistry } from "../../src/config/models.ts";
import { Leases } from "../../src/engine/leases.ts";
import { createModelCaller } from "../../src/engine/calls/model-caller.ts";
import { createTraffic } from "../../src/engine/calls/traffic.ts";
import { TaskRepository } from "../../src/engine/task-repository.ts";
import { createInstruments } from "../../src/engine/telemetry.ts";
import { metrics, trace } from "@opentelemetry/api";
import type { ModelRequest, ModelResponse } from "../../src/ports/language-model.ts";
import { silentLogger } from "../fakes/harness.ts";
import { AT, call, newDoc, PLAN, started } from "../fakes/machine.ts";
import { MemoryStore } from "../fakes/memory-store.ts";

const NOW = Date.parse(AT);
const clock = { now: () => NOW };
const leases = (owner = "me", alive = true) =>
  new Leases({ owner, leaseMs: 60_000, ownerAlive: () => alive }, clock);
const until = (ms: number) => new Date(NOW + ms).toISOString();

describe("leases", () => {
  it("hold, release, fresh and free, by owner and time", () => {
    const mine = leases();
    const held = mine.hold(newDoc());
    expect(held.lease).toEqual({ owner: "me", until: until(60_000) });
    expect(mine.isFresh(held)).toBe(true);
    expect(mine.isFresh({ ...held, lease: { owner: "me", until: until(10_000) } })).toBe(false);
    expect(mine.release(held).lease).toBeNull();
    const theirs = { ...newDoc(), lease: { owner: "them", until: until(30_000) } };
    expect(mine.isFree(theirs)).toBe(false);
    expect(() => {
      mine.assertFree(theirs);
    }).toThrow(LeaseHeldError);
    expect(mine.isFree({ ...theirs, lease: { owner: "them", until: until(0) } })).toBe(true);
    expect(leases("me", false).isFree(theirs)).toBe(true);
  });
});

describe("the task repository", () => {
  it("a task that ends writes its run log and its outcome records once", async () => {
    const store = new MemoryStore();
    const repo = new TaskRepository({ store, leases: leases(), logger: silentLogger });
    const created = await repo.create(newDoc());
    const ledger = [call("T1:planning:-:1:plan#0")];
    const ended = await repo.save({ ...created.document, state: "done", ledger }, created.version);
    expect(ended.document.recorded).toBe(true);
    expect(store.runLogs.get("T1")).toMatch(/^## Task: T1/);
    expect(store.records).toHaveLength(2);
    await repo.save({ ...ended.document, updatedAt: "later" }, ended.version);
    expect(store.saves).toBe(3);
    expect(store.records).toHaveLength(2);
  });

  it("a lost race reloads and applies the event again; a live lease taken meanwhile stops the run", async () => {
    const store = new MemoryStore();
    const mine = leases();
    const repo = new TaskRepository({ store, leases: mine, logger: silentLogger });
    const first = await repo.create(mine.hold(started()));
    const head = first.document.outbox[0];
    if (!head) throw new Error("no effect");
    const event = {
      type: "effect_result" as const,
      at: AT,
      key: head.key,
      outcome: { kind: "plan" as const, plan: PLAN, calls: [] },
    };
    // Someone changes something unrelated first: the event is applied to their version.
    store.put({ ...first.document, title: "renamed" });
    const reloaded: string[] = [];
    const saved = await repo.applyWhileRunning(first, event, (doc) =>
      reloaded.push(doc.title ?? ""),
    );
    expect(reloaded).toEqual(["renamed"]);
    expect(saved.document.title).toBe("renamed");
    expect(saved.document.outbox[0]?.key).not.toBe(head.key);
    // Another worker holds the lease now: this one must stop, not overwrite.
    store.put({ ...saved.document, lease: { owner: "them", until: until(60_000) } });
    const next = saved.document.outbox[0];
    if (!next) throw new Error("no effect");
    await expect(
      repo.applyWhileRunning(
        saved,
        { type: "effect_result", at: AT, key: next.key, outcome: { kind: "done" } },
        () => undefined,
      ),
    ).rejects.toBeInstanceOf(LeaseHeldError);
  });

  it("a result kept in memory is written by the next save", async () => {
    const store = new MemoryStore();
    const mine = leases();
    const repo = new TaskRepository({ store, leases: mine, logger: silentLogger });
    const first = await repo.create(mine.hold(started()));
    const head = first.document.outbox[0];
    if (!head) throw new Error("no effect");
    const kept = repo.applyInMemory(first, {
      type: "effect_result",
      at: AT,
      key: head.key,
      outcome: { kind: "plan", plan: PLAN, calls: [] },
    });
    expect(kept.dirty).toBe(true);
    expect(store.saves).toBe(1);
    const flushed = await repo.flush(kept);
    expect(flushed.dirty).toBe(false);
    expect(store.saves).toBe(2);
  });
});

describe("the model caller", () => {
  const request: Omit<ModelRequest, "model" | "tag"> = {
    system: "s",
    messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
    maxOutputTokens: 100,
  };
  const answer: ModelResponse = {
    text: "ok",
    content: [{ type: "text", text: "ok" }],
    stopReason: "end",
    usage: { input: { noCache: 1_000_000, cacheRead: 0, cacheWrite: 0 }, output: 0 },
  };
  const site = {
    task: "T1",
    effectKey: "T1:planning:-:1:plan",
    role: "planner" as const,
    modelRef: "anthropic/claude-sonnet-4-5",
    step: null,
    attempt: 1,
    prompt: "planner@2",
  };

  function caller(store: MemoryStore, generate: () => Promise<ModelResponse>) {
    return createModelCaller({
      store,
      models: (ref) => ({
        client: { provider: "anthropic", generate },
        model: ref.split("/")[1] ?? "",
      }),
      registry: modelRegistry(),
      traffic: createTraffic({ now: () => clock.now() }),
      dayLimits: [],
      clock,
      logger: silentLogger,
      tracer: trace.getTracer("t"),
      instruments: createInstruments(metrics.getMeter("t")),
      retry: { attempts: 3, baseMs: 10, capMs: 100, maxWaitMs: 60_000 },
      sleep: () => Promise.resolve(),
      random: () => 0.5,
    });
  }

  it("prices a new answer, journals it before returning it, and returns a journaled one without calling again", async () => {
    const store = new MemoryStore();
    let calls = 0;
    const call = caller(store, () => {
      calls += 1;
      return Promise.resolve(answer);
    }).at(site);
    const first = await call(0, request);
    expect(first.record).toMatchObject({
      key: "T1:planning:-:1:plan#0",
      costUsd: 3,
      prompt: "planner@2",
    });
    expect(store.calls.has("T1:planning:-:1:plan#0")).toBe(true);
    const again = await call(0, request);
    expect(again).toEqual(first);
    expect(calls).toBe(1);
  });

  it("retries transient failures, never terminal ones", async () => {
    const store = new MemoryStore();
    let calls = 0;
    const flaky = caller(store, () => {
      calls += 1;
      return calls < 3
        ? Promise.reject(
            new ProviderError({ provider: "anthropic", kind: "overloaded", message: "529" }),
          )
        : Promise.resolve(answer);
    }).at(site);
    expect((await flaky(0, request)).response.text).toBe("ok");
    expect(calls).toBe(3);
    calls = 0;
    const denied = caller(store, () => {
      calls += 1;
      return Promise.reject(
        new ProviderError({ provider: "anthropic", kind: "auth", message: "401" }),
      );
    }).at({ ...site, effectKey: "other" });
    await expect(denied(0, request)).rejects.toBeInstanceOf(ProviderError);
    expect(calls).toBe(1);
  });
});
