import { describe, expect, it } from "vitest";
import { NoEligibleModelError, ProviderError } from "../../../src/core/errors.ts";
import { CircuitBreakers } from "../../../src/engine/calls/breakers.ts";
import { fallback } from "../../../src/engine/calls/stages/fallback.ts";
import { silentLogger } from "../../fakes/harness.ts";
import {
  answer,
  clock,
  NOW,
  pendingCall,
  recordingNext,
  SONNET,
} from "../../fakes/pending-call.ts";

const GPT = "openai/gpt-6.1-terra";
const GEMINI = "google/gemini-3.1-pro-preview";
const failure = (kind: ProviderError["kind"]) =>
  new ProviderError({ provider: "anthropic", kind, message: kind });

function stage(breakers = new CircuitBreakers()) {
  return fallback({ traffic: { breakers }, clock, logger: silentLogger });
}

describe("the fallback stage", () => {
  it("hands a failure another model may not have to the next candidate, and the record says why", async () => {
    const next = recordingNext((call) =>
      call.model === SONNET
        ? Promise.reject(failure("overloaded"))
        : Promise.resolve(answer(call.model)),
    );
    const result = await stage()(next)(pendingCall({ candidates: [SONNET, GPT] }));
    expect(next.calls.map((c) => c.model)).toEqual([SONNET, GPT]);
    expect(result.record.model).toBe(GPT);
    expect(result.record.fallback).toEqual([
      { model: SONNET, reason: "overloaded: anthropic: overloaded" },
    ]);
  });

  it("a request no model would take is not handed over, and the last candidate's failure is the call's", async () => {
    const invalid = recordingNext(() => Promise.reject(failure("invalid_request")));
    await expect(
      stage()(invalid)(pendingCall({ candidates: [SONNET, GPT] })),
    ).rejects.toMatchObject({
      kind: "invalid_request",
    });
    expect(invalid.calls).toHaveLength(1);
    const down = recordingNext(() => Promise.reject(failure("server")));
    await expect(stage()(down)(pendingCall({ candidates: [SONNET, GPT] }))).rejects.toMatchObject({
      kind: "server",
    });
    expect(down.calls.map((c) => c.model)).toEqual([SONNET, GPT]);
  });

  it("passes over a model whose circuit is open, but never the last one", async () => {
    const breakers = new CircuitBreakers({
      consecutiveFailures: 1,
      failureRate: 1,
      window: 1,
      minCalls: 1,
      openMs: 60_000,
    });
    breakers.failure(SONNET, NOW);
    breakers.failure(GPT, NOW);
    const next = recordingNext((call) => Promise.resolve(answer(call.model)));
    const result = await stage(breakers)(next)(pendingCall({ candidates: [SONNET, GEMINI] }));
    expect(next.calls.map((c) => c.model)).toEqual([GEMINI]);
    expect(result.record.fallback).toEqual([{ model: SONNET, reason: "circuit open" }]);
    await stage(breakers)(next)(pendingCall({ candidates: [GPT] }));
    expect(next.calls.map((c) => c.model)).toEqual([GEMINI, GPT]);
  });

  it("with no candidate, no model is called", async () => {
    const next = recordingNext(() => Promise.resolve(answer()));
    await expect(stage()(next)(pendingCall({ candidates: [] }))).rejects.toBeInstanceOf(
      NoEligibleModelError,
    );
    expect(next.calls).toEqual([]);
  });
});
