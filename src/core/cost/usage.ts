import { z } from "zod";

/**
 * Token usage normalised across providers. `input.noCache` excludes cached tokens (Anthropic's
 * `input_tokens`); adapters for providers whose prompt count includes cached tokens subtract them.
 * `output` counts every billed output token, reasoning included; `reasoning` is the part of it
 * spent thinking, where the provider says.
 */
export const Usage = z.strictObject({
  input: z.strictObject({
    noCache: z.number().int().nonnegative(),
    cacheRead: z.number().int().nonnegative(),
    cacheWrite: z.number().int().nonnegative(),
  }),
  output: z.number().int().nonnegative(),
  reasoning: z.number().int().nonnegative().optional(),
});
export type Usage = z.infer<typeof Usage>;

export const ZERO_USAGE: Usage = { input: { noCache: 0, cacheRead: 0, cacheWrite: 0 }, output: 0 };

export function addUsage(a: Usage, b: Usage): Usage {
  const reasoning = (a.reasoning ?? 0) + (b.reasoning ?? 0);
  return {
    input: {
      noCache: a.input.noCache + b.input.noCache,
      cacheRead: a.input.cacheRead + b.input.cacheRead,
      cacheWrite: a.input.cacheWrite + b.input.cacheWrite,
    },
    output: a.output + b.output,
    ...(reasoning > 0 ? { reasoning } : {}),
  };
}
