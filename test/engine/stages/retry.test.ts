import { describe, expect, it } from "vitest";
import { ProviderError } from "../../../src/core/errors.ts";
import { retry } from "../../../src/engine/calls/stages/retry.ts";
import { silentLogger } from "../../fakes/harness.ts";
import { answer, pendingCall, recordingNext } from "../../fakes/pending-call.ts";

const overloaded = () =>
  new ProviderError({ provider: "anthropic", kind: "overloaded", message: "529" });

function stage(slept: number[]) {
  return retry({
    retry: { attempts: 3, baseMs: 100, capMs: 1_000, maxWaitMs: 60_000 },
    sleep: (ms) => {
      slept.push(ms);
      return Promise.resolve();
    },
    random: () => 1,
    logger: silentLogger,
  });
}

describe("the retry stage", () => {
  it("tries a transient failure again after a backoff, and the record keeps each retry", async () => {
    const slept: number[] = [];
    const next = recordingNext((_, n) =>
      n < 3 ? Promise.reject(overloaded()) : Promise.resolve(answer()),
    );
    const result = await stage(slept)(next)(pendingCall());
    expect(next.calls).toHaveLength(3);
    expect(slept).toEqual([100, 200]);
    expect(result.record.retries).toEqual([
      { kind: "overloaded", waitMs: 100 },
      { kind: "overloaded", waitMs: 200 },
    ]);
  });

  it("a first answer has no retries in its record; a terminal failure is not tried again", async () => {
    const slept: number[] = [];
    expect(
      (await stage(slept)(() => Promise.resolve(answer()))(pendingCall())).record,
    ).not.toHaveProperty("retries");
    const next = recordingNext(() =>
      Promise.reject(new ProviderError({ provider: "anthropic", kind: "auth", message: "401" })),
    );
    await expect(stage(slept)(next)(pendingCall())).rejects.toMatchObject({ kind: "auth" });
    expect(next.calls).toHaveLength(1);
    expect(slept).toEqual([]);
  });

  it("the last failure carries the retries made before it", async () => {
    const next = recordingNext(() => Promise.reject(overloaded()));
    const error = await stage([])(next)(pendingCall()).catch((e: unknown) => e);
    expect(next.calls).toHaveLength(3);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).retries).toHaveLength(2);
  });
});
