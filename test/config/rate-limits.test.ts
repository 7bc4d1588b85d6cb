import { describe, expect, it } from "vitest";
import { rateLimitsFromEnv } from "../../src/config/rate-limits.ts";

describe("ORCHESTRATOR_RATE_LIMITS", () => {
  it("reads limits per provider and per model", () => {
    expect(
      rateLimitsFromEnv({
        ORCHESTRATOR_RATE_LIMITS: JSON.stringify({
          anthropic: { requests_per_minute: 50, input_tokens_per_minute: 30_000 },
          "google/gemini-3.5-flash": { output_tokens_per_minute: 8_000 },
        }),
      }),
    ).toEqual({
      anthropic: { requestsPerMinute: 50, inputTokensPerMinute: 30_000 },
      "google/gemini-3.5-flash": { outputTokensPerMinute: 8_000 },
    });
    expect(rateLimitsFromEnv({})).toEqual({});
  });

  it("refuses bad values naming the variable and the field", () => {
    expect(() => rateLimitsFromEnv({ ORCHESTRATOR_RATE_LIMITS: "{anthropic: 5}" })).toThrow(
      /ORCHESTRATOR_RATE_LIMITS: must be JSON/,
    );
    expect(() =>
      rateLimitsFromEnv({
        ORCHESTRATOR_RATE_LIMITS: JSON.stringify({
          anthropic: { requests_per_minute: -1, rpm: 3 },
        }),
      }),
    ).toThrow(/ORCHESTRATOR_RATE_LIMITS\.anthropic/);
  });
});
