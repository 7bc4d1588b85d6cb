import { describe, expect, it } from "vitest";
import { ProviderError, type ProviderErrorKind } from "../../../src/core/errors.ts";
import { circuit } from "../../../src/engine/calls/stages/circuit.ts";
import { answer, clock, pendingCall, SONNET } from "../../fakes/pending-call.ts";

function breakers() {
  const seen: string[] = [];
  return {
    seen,
    breakers: {
      success: (model: string) => seen.push(`success ${model}`),
      failure: (model: string) => seen.push(`failure ${model}`),
    },
  };
}

const failing = (kind: ProviderErrorKind) => () =>
  Promise.reject(new ProviderError({ provider: "anthropic", kind, message: kind }));

describe("the circuit stage", () => {
  it("tells the model's circuit each attempt's outcome", async () => {
    const b = breakers();
    const stage = circuit({ traffic: b, clock });
    await stage(() => Promise.resolve(answer()))(pendingCall({ model: SONNET }));
    await expect(stage(failing("overloaded"))(pendingCall({ model: SONNET }))).rejects.toThrow();
    await expect(stage(() => Promise.reject(new Error("bug")))(pendingCall())).rejects.toThrow();
    expect(b.seen).toEqual([`success ${SONNET}`, `failure ${SONNET}`]);
  });

  it("a request the model could never take is not the model's failure", async () => {
    const b = breakers();
    const stage = circuit({ traffic: b, clock });
    for (const kind of ["invalid_request", "context_length"] as const)
      await expect(stage(failing(kind))(pendingCall())).rejects.toMatchObject({ kind });
    expect(b.seen).toEqual([]);
  });
});
