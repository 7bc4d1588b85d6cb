import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { InvalidInputError } from "../../core/errors.ts";

const Entry = z.strictObject({
  role: z.string(),
  step: z.string().nullable().default(null),
  attempt: z.number().int().positive().default(1),
  turn: z.number().int().nonnegative().default(0),
  /** Structured answer. */
  object: z.unknown().optional(),
  /**
   * The provider's opaque reasoning state as it answered (thinking blocks, reasoning items,
   * thought parts), each kept whole; replayed before the text, and expected back unchanged.
   */
  reasoning: z.array(z.record(z.string(), z.unknown())).optional(),
  text: z.string().default(""),
  tool_calls: z
    .array(z.strictObject({ name: z.string(), input: z.record(z.string(), z.unknown()) }))
    .default([]),
  stop: z.enum(["end", "tool_use", "max_tokens", "refusal", "other"]).optional(),
  usage: z
    .strictObject({
      input: z.number().int().nonnegative(),
      output: z.number().int().nonnegative(),
      cache_read: z.number().int().nonnegative().default(0),
      cache_write: z.number().int().nonnegative().default(0),
      /** Of `output`, the tokens spent reasoning. */
      reasoning: z.number().int().nonnegative().default(0),
    })
    .optional(),
  /** The call fails instead, as a provider error of this kind (fault injection, demos of escalation). */
  error: z
    .strictObject({
      kind: z.enum([
        "rate_limit",
        "overloaded",
        "server",
        "network",
        "timeout",
        "auth",
        "quota",
        "quota_day",
        "invalid_request",
        "context_length",
        "not_found",
      ]),
      message: z.string().default("injected by the cassette"),
      retry_after_ms: z.number().int().nonnegative().optional(),
    })
    .optional(),
});
export type CassetteEntry = z.infer<typeof Entry>;

export const Cassette = z.strictObject({
  /** Providers this cassette stands in for. */
  providers: z.array(z.string()).min(1),
  calls: z.array(Entry),
});
export type Cassette = z.infer<typeof Cassette>;

export function entryKey(e: {
  role: string;
  step: string | null;
  attempt: number;
  turn: number;
}): string {
  return `${e.role}|${e.step ?? "-"}|${e.attempt}|${e.turn}`;
}

export function parseCassette(text: string, source: string): Cassette {
  const parsed = Cassette.safeParse(parseYaml(text));
  if (!parsed.success)
    throw new InvalidInputError(
      source,
      parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    );
  const seen = new Set<string>();
  const problems = parsed.data.calls.flatMap((e, i) => {
    const key = entryKey(e);
    if (seen.has(key)) return [{ path: `calls.${i}`, message: `duplicate answer for ${key}` }];
    seen.add(key);
    return [];
  });
  if (problems.length > 0) throw new InvalidInputError(source, problems);
  return parsed.data;
}
