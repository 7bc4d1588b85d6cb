import { describe, expect, it } from "vitest";
import type { Demand } from "../../../src/engine/calls/rate-limits.ts";
import { rateLimit } from "../../../src/engine/calls/stages/rate-limit.ts";
import { estimateInputTokens } from "../../../src/engine/calls/tokens.ts";
import { silentLogger } from "../../fakes/harness.ts";
import { answer, pendingCall, SONNET } from "../../fakes/pending-call.ts";

/** Token buckets that keep what was reserved and what was settled. */
function buckets() {
  const reserved: { model: string; demand: Demand }[] = [];
  const settled: Demand[] = [];
  return {
    reserved,
    settled,
    rateLimits: {
      reserve: (model: string, demand: Demand) => {
        reserved.push({ model, demand });
        return Promise.resolve({ waitedMs: 0, settle: (used: Demand) => settled.push(used) });
      },
    },
  };
}

describe("the rate limit stage", () => {
  it("reserves the prompt's estimate and the output allowance for the model tried, and settles with what was used", async () => {
    const b = buckets();
    const call = pendingCall({ model: SONNET });
    await rateLimit({ traffic: b, sleep: () => Promise.resolve(), logger: silentLogger })(() =>
      Promise.resolve(answer()),
    )(call);
    expect(b.reserved).toEqual([
      {
        model: SONNET,
        demand: { input: estimateInputTokens("anthropic", call.request), output: 100 },
      },
    ]);
    // 1,000 uncached + 200 read + 50 written; 300 out.
    expect(b.settled).toEqual([{ input: 1_250, output: 300 }]);
  });

  it("a failed call settles with nothing used", async () => {
    const b = buckets();
    await expect(
      rateLimit({ traffic: b, sleep: () => Promise.resolve(), logger: silentLogger })(() =>
        Promise.reject(new Error("down")),
      )(pendingCall()),
    ).rejects.toThrow("down");
    expect(b.settled).toEqual([{ input: 0, output: 0 }]);
  });
});
