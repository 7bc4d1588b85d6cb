import { describe, expect, it } from "vitest";
import { NoEligibleModelError } from "../../../src/core/errors.ts";
import { provider } from "../../../src/engine/calls/stages/provider.ts";
import type { ModelRequest, ModelResponse } from "../../../src/ports/language-model.ts";
import { answer, clock, pendingCall, registry, SONNET } from "../../fakes/pending-call.ts";

function client(response: ModelResponse) {
  const requests: ModelRequest[] = [];
  return {
    requests,
    models: (ref: string) => ({
      client: {
        provider: "anthropic",
        generate: (request: ModelRequest) => {
          requests.push(request);
          return Promise.resolve(response);
        },
      },
      model: ref.slice(ref.indexOf("/") + 1),
    }),
  };
}

describe("the provider stage", () => {
  it("asks the model tried, tagged, never for more output than it can write, and prices the answer from the registry", async () => {
    const c = client(answer().response);
    const call = pendingCall({
      model: SONNET,
      request: { ...pendingCall().request, maxOutputTokens: 1_000_000 },
    });
    const { record } = await provider({ models: c.models, registry, clock })(call);
    expect(c.requests[0]).toMatchObject({
      model: "claude-sonnet-4-5",
      maxOutputTokens: 64_000,
      tag: { task: "T1", role: "planner", step: null, attempt: 1, turn: 0 },
    });
    // 1,000 in at $3, 200 read at $0.30, 50 written at $3.75, 300 out at $15 (per million): $0.0077475.
    expect(record).toMatchObject({
      key: "T1:planning:-:1:plan#0",
      model: SONNET,
      prompt: "planner@2",
      costUsd: 0.007748,
      stopReason: "end",
    });
  });

  it("an unpriced model is never called", async () => {
    const c = client(answer().response);
    await expect(
      provider({ models: c.models, registry, clock })(pendingCall({ model: "acme/unknown" })),
    ).rejects.toBeInstanceOf(NoEligibleModelError);
    expect(c.requests).toEqual([]);
  });

  it("sends the nearest effort the model takes and records it; a model that takes none gets none", async () => {
    const opus = "anthropic/claude-opus-4-5";
    const wanting = (model: string) =>
      pendingCall({ model, site: { ...pendingCall().site, modelRef: model, effort: "xhigh" } });
    const c = client(answer().response);
    const first = await provider({ models: c.models, registry, clock })(wanting(opus));
    // Opus 4.5 takes low to high: xhigh comes down to high.
    expect(c.requests[0]?.effort).toBe("high");
    expect(first.record.effort).toBe("high");
    const second = await provider({ models: c.models, registry, clock })(wanting(SONNET));
    expect(c.requests[1]).not.toHaveProperty("effort");
    expect(second.record).not.toHaveProperty("effort");
  });
});
