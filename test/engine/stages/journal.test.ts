import { describe, expect, it } from "vitest";
import { journal, JournalEntry, journaledCalls } from "../../../src/engine/calls/stages/journal.ts";
import { MemoryStore } from "../../fakes/memory-store.ts";
import { answer, pendingCall, recordingNext } from "../../fakes/pending-call.ts";

describe("the journal stage", () => {
  it("journals a new answer under <effect key>#<turn> before returning it, and answers from the journal after", async () => {
    const store = new MemoryStore();
    const next = recordingNext(() => Promise.resolve(answer()));
    const invoke = journal({ store }, JournalEntry)(next);
    const first = await invoke(pendingCall());
    expect(store.calls.get("T1:planning:-:1:plan#0")).toEqual(first);
    const again = await invoke(pendingCall());
    expect(again).toEqual(first);
    expect(next.calls).toHaveLength(1);
  });

  it("an answer that could not be journaled is not returned (the caller never uses an unjournaled answer)", async () => {
    const store = new MemoryStore();
    store.writeCall = () => Promise.reject(new Error("disk full"));
    const invoke = journal({ store }, JournalEntry)(recordingNext(() => Promise.resolve(answer())));
    await expect(invoke(pendingCall())).rejects.toThrow("disk full");
  });

  it("a failure is not journaled: the next try calls again", async () => {
    const store = new MemoryStore();
    const next = recordingNext((_, n) =>
      n === 1 ? Promise.reject(new Error("boom")) : Promise.resolve(answer()),
    );
    const invoke = journal({ store }, JournalEntry)(next);
    await expect(invoke(pendingCall())).rejects.toThrow("boom");
    expect(store.calls.size).toBe(0);
    await invoke(pendingCall());
    expect(next.calls).toHaveLength(2);
  });

  it("something stored under the key that is not an entry is not taken for an answer", async () => {
    const store = new MemoryStore();
    await store.writeCall({ task: "T1", key: "T1:planning:-:1:plan#0", value: { text: "stray" } });
    const next = recordingNext(() => Promise.resolve(answer()));
    await journal({ store }, JournalEntry)(next)(pendingCall());
    expect(next.calls).toHaveLength(1);
  });

  it("lists an effect's journaled records in turn order, up to the first turn not journaled", async () => {
    const store = new MemoryStore();
    const effect = "T1:planning:-:1:plan";
    for (const turn of [0, 1, 3])
      await store.writeCall({
        task: "T1",
        key: `${effect}#${turn}`,
        value: answer(undefined, undefined, `${effect}#${turn}`),
      });
    const records = await journaledCalls(store, "T1", effect);
    expect(records.map((r) => r.key)).toEqual([`${effect}#0`, `${effect}#1`]);
  });
});
