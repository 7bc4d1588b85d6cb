import { z } from "zod";
import { InvalidInputError } from "../core/errors.ts";
import { ModelRef } from "../core/vocabulary/model-ref.ts";
import type { RateLimit } from "../engine/calls/rate-limits.ts";

const PerMinute = z.number().int().positive();

/**
 * `ORCHESTRATOR_RATE_LIMITS`: a JSON object of limits per provider (`anthropic`) or model
 * (`anthropic/claude-sonnet-5-5`), each with `requests_per_minute`, `input_tokens_per_minute`,
 * `output_tokens_per_minute` (any of them). Your tier's limits, so that our calls wait their turn
 * instead of collecting 429s.
 */
export const RateLimitsSetting = z.record(
  z.union([z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "use a provider name"), ModelRef]),
  z.strictObject({
    requests_per_minute: PerMinute.optional(),
    input_tokens_per_minute: PerMinute.optional(),
    output_tokens_per_minute: PerMinute.optional(),
  }),
);

export const RATE_LIMITS_VARIABLE = "ORCHESTRATOR_RATE_LIMITS";

/** The rate limits from the environment's `ORCHESTRATOR_RATE_LIMITS`, or none. */
export function rateLimitsFromEnv(env: NodeJS.ProcessEnv): Record<string, RateLimit> {
  const raw = env[RATE_LIMITS_VARIABLE];
  if (raw === undefined || raw.trim() === "") return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new InvalidInputError("environment", [
      {
        path: RATE_LIMITS_VARIABLE,
        message: 'must be JSON, e.g. {"anthropic":{"requests_per_minute":50}}',
      },
    ]);
  }
  const parsed = RateLimitsSetting.safeParse(json);
  if (!parsed.success)
    throw new InvalidInputError(
      "environment",
      parsed.error.issues.map((i) => ({
        path: [RATE_LIMITS_VARIABLE, ...i.path.map(String)].join("."),
        message: i.message,
      })),
    );
  return Object.fromEntries(
    Object.entries(parsed.data).map(([scope, l]) => [
      scope,
      {
        ...(l.requests_per_minute ? { requestsPerMinute: l.requests_per_minute } : {}),
        ...(l.input_tokens_per_minute ? { inputTokensPerMinute: l.input_tokens_per_minute } : {}),
        ...(l.output_tokens_per_minute
          ? { outputTokensPerMinute: l.output_tokens_per_minute }
          : {}),
      },
    ]),
  );
}
