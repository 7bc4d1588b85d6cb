import { z } from "zod";

/**
 * How hard a reasoning model works on a call, on one scale for every provider: Anthropic's
 * `output_config.effort` (low … max), OpenAI's `reasoning.effort` (low … xhigh), Gemini's
 * thinking level (low … high) or a thinking budget on the 2.5 models. Which levels a model takes
 * is in `models.yaml` (`effort.levels`); a level a model does not take is refused by its API.
 */
export const Effort = z.enum(["low", "medium", "high", "xhigh", "max"]);
export type Effort = z.infer<typeof Effort>;

const ORDER: Record<Effort, number> = { low: 0, medium: 1, high: 2, xhigh: 3, max: 4 };

/** The levels a model takes and the one its provider uses when a request names none. */
export const EffortLevels = z
  .strictObject({
    levels: z.array(Effort).min(1),
    default: Effort,
  })
  .refine((e) => e.levels.includes(e.default), {
    message: "the default must be one of the levels",
    path: ["default"],
  });
export type EffortLevels = z.infer<typeof EffortLevels>;

/**
 * The level of `offered` nearest to `wanted`, rounding down (a step asked "xhigh" on a model whose
 * top is "high" gets "high"; one asked "low" where "low" is missing gets the lowest level above).
 * Undefined when the model offers no effort: the request then names none.
 */
export function nearestEffort(
  offered: EffortLevels | undefined,
  wanted: Effort,
): Effort | undefined {
  if (!offered) return undefined;
  const sorted = [...offered.levels].sort((a, b) => ORDER[a] - ORDER[b]);
  const below = sorted.filter((l) => ORDER[l] <= ORDER[wanted]).at(-1);
  return below ?? sorted[0];
}

/** Orders effort levels, lowest first. */
export const effortRank = (effort: Effort): number => ORDER[effort];
