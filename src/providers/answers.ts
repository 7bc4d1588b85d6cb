import type { Usage } from "../core/cost/usage.ts";
import { ProviderError } from "../core/errors.ts";
import { fencedBody } from "../core/text/fenced-json.ts";

/** Usage from a provider whose prompt count includes cached tokens (OpenAI, Gemini). */
export function cachedUsage(
  counts: {
    readonly prompt: number;
    readonly cached: number;
    readonly cacheWrite?: number;
    readonly output: number;
    readonly reasoning: number;
  },
  provider: string,
): Usage {
  const cacheWrite = counts.cacheWrite ?? 0;
  const problem = usageProblem({ ...counts, cacheWrite });
  // What the ledger and the budgets count: an answer whose bill cannot be read is not used.
  if (problem)
    throw new ProviderError({ provider, kind: "server", message: `the answer's usage ${problem}` });
  return {
    input: {
      noCache: Math.max(0, counts.prompt - counts.cached - cacheWrite),
      cacheRead: counts.cached,
      cacheWrite,
    },
    output: counts.output,
    ...(counts.reasoning > 0 ? { reasoning: counts.reasoning } : {}),
  };
}

/** More tokens than any model reads or writes in one call: a count past it is not a count. */
export const MAX_USAGE_TOKENS = 50_000_000;

function usageProblem(counts: Record<string, number>): string | null {
  for (const [name, value] of Object.entries(counts))
    if (!Number.isSafeInteger(value) || value < 0 || value > MAX_USAGE_TOKENS)
      return `has ${name} = ${String(value)}, not a token count from 0 to ${String(MAX_USAGE_TOKENS)}`;
  if ((counts["cached"] ?? 0) + (counts["cacheWrite"] ?? 0) > (counts["prompt"] ?? 0))
    return "counts more cached prompt tokens than prompt tokens";
  return null;
}

/** Tool arguments arrive as a JSON string; a model's broken JSON is passed on as the raw string. */
export function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text === "" ? "{}" : text) as unknown;
  } catch {
    return text;
  }
}

/** The JSON object an answer holds (bare or fenced), or undefined. */
export function parseObject(text: string): unknown {
  const body = fencedBody(text) ?? text;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** For servers without a schema mode: the schema goes into the instructions (our zod check follows). */
export function schemaInstruction(schema: Readonly<Record<string, unknown>>): string {
  return `Answer with one JSON object and nothing else. It must match this JSON Schema:\n${JSON.stringify(schema)}`;
}

/** A tool result as text, for APIs without an error flag on it. */
export function toolResultText(part: {
  readonly content: string;
  readonly isError: boolean;
}): string {
  return part.isError ? `ERROR: ${part.content}` : part.content;
}

/** The text parts of a message, joined (for APIs that take one text per message). */
export function textOf(
  content: readonly { readonly type: string; readonly text?: string }[],
): string {
  return content
    .flatMap((p) => (p.type === "text" && p.text !== undefined ? [p.text] : []))
    .join("\n\n");
}
