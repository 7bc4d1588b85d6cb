import { describe, expect, it } from "vitest";
import { ProviderError } from "../../src/core/errors.ts";
import { withRetry, type RetryPolicy } from "../../src/engine/calls/retry.ts";
import { strictHttp } from "../fakes/http.ts";
import { anthropicWire } from "../fakes/wire/anthropic.ts";
import { geminiWire } from "../fakes/wire/gemini.ts";
import { openaiResponsesWire } from "../fakes/wire/openai.ts";
import type { Wire, WireError } from "../fakes/wire/types.ts";

const USAGE = { uncached: 10, cacheRead: 0, cacheWrite: 0, output: 2, reasoning: 0 };

function policy(over: Partial<RetryPolicy> = {}): RetryPolicy & { waits: number[] } {
  const waits: number[] = [];
  return {
    attempts: 6,
    baseMs: 1000,
    capMs: 30_000,
    maxWaitMs: 120_000,
    random: () => 1,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
    ...over,
    waits,
  };
}

const ask = (wire: Wire) => () =>
  wire.client().generate({
    model: wire.model,
    system: "s",
    messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
    maxOutputTokens: 100,
    tag: { task: "T1", role: "planner", step: null, attempt: 1, turn: 0 },
  });

describe("our one retry policy, over each provider's real errors", () => {
  strictHttp();

  it.each([
    ["Anthropic retry-after", anthropicWire()],
    ["OpenAI retry-after-ms", openaiResponsesWire()],
    ["Gemini RetryInfo.retryDelay", geminiWire()],
  ] as const)("waits at least what %s asks, then succeeds", async (_name, wire) => {
    wire.fail("rate_limit");
    wire.answer({ text: "ok", stop: "end", usage: USAGE });
    const p = policy({ random: () => 0.1 });
    const { value, retries } = await withRetry(ask(wire), p);
    expect(value.text).toBe("ok");
    expect(p.waits).toEqual([7000]);
    expect(retries).toEqual([{ kind: "rate_limit", waitMs: 7000 }]);
  });

  it("backs off exponentially on overload and gives up after the last attempt, carrying the retries", async () => {
    const wire = anthropicWire();
    wire.fail("overloaded", 3);
    const p = policy({ attempts: 3 });
    const error = await withRetry(ask(wire), p).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: "overloaded", status: 529 });
    expect(p.waits).toEqual([1000, 2000]);
    expect((error as ProviderError).retries).toEqual([
      { kind: "overloaded", waitMs: 1000 },
      { kind: "overloaded", waitMs: 2000 },
    ]);
  });

  it.each<[string, Wire, WireError]>([
    ["Anthropic 401", anthropicWire(), "auth"],
    ["Anthropic credit balance", anthropicWire(), "quota_exhausted"],
    ["Anthropic context too long", anthropicWire(), "context_length"],
    ["OpenAI insufficient_quota", openaiResponsesWire(), "quota_exhausted"],
    ["Gemini per-day quota", geminiWire(), "quota_exhausted"],
    ["Gemini bad key", geminiWire(), "auth"],
  ])("never retries a terminal error: %s", async (_name, wire, kind) => {
    wire.fail(kind);
    const p = policy();
    const error = await withRetry(ask(wire), p).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "ProviderError", retryable: false });
    expect(p.waits).toEqual([]);
  });

  it("stops before the total wait would pass its bound, even with attempts left", async () => {
    const wire = anthropicWire();
    wire.fail("rate_limit", 3);
    // retry-after 7 s each time; 15 s of waiting in all allows two waits, not three.
    const p = policy({ maxWaitMs: 15_000, random: () => 0 });
    const error = await withRetry(ask(wire), p).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "rate_limit" });
    expect(p.waits).toEqual([7000, 7000]);
  });

  it("uses full jitter under the cap when the provider names no wait", async () => {
    const wire = geminiWire();
    wire.fail("server", 5);
    wire.answer({ text: "ok", stop: "end", usage: USAGE });
    const p = policy({ baseMs: 1000, capMs: 4000, random: () => 0.5 });
    await withRetry(ask(wire), p);
    expect(p.waits).toEqual([500, 1000, 2000, 2000, 2000]);
  });

  it("does not retry what is not a provider error", async () => {
    const p = policy();
    await expect(withRetry(() => Promise.reject(new TypeError("bug")), p)).rejects.toThrow("bug");
    expect(p.waits).toEqual([]);
  });
});
