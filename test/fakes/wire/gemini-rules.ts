// The Gemini API's rules for thought signatures in a function-calling conversation, from
// ai.google.dev/gemini-api/docs/thought-signatures: Gemini 3 signs the first functionCall part
// of each step (and the last part of an answer without calls); "you must return this
// signature in the exact part it was received"; the API validates, for the current turn
// (everything after the last user message with standard content), that the first
// functionCall part of every step carries its signature, and answers a 400 otherwise.
// Messages as the API gives them (quoted in the public issues listed in README.md).
import { digest, unseal } from "./seal.ts";

type Part = Record<string, unknown>;
type Content = { role?: string; parts?: Part[] };
export type GeminiRefusal = readonly [code: number, status: string, message: string];

/** Gemini 3 models validate signatures; 2.5 models return them but do not check them. */
export const validatesSignatures = (model: string): boolean => model.startsWith("gemini-3");

/** What a signature is bound to: its part's call or text. */
export const partDigest = (part: Part): string =>
  digest(part["functionCall"] ?? { text: part["text"] ?? "" });

export function contentsRefusal(
  body: Record<string, unknown>,
  model: string,
): GeminiRefusal | null {
  const contents = (body["contents"] as Content[] | undefined) ?? [];
  const bad = (message: string): GeminiRefusal => [400, "INVALID_ARGUMENT", message];
  // Function calling reference: one functionResponse per functionCall of the turn before.
  for (const [i, content] of contents.entries()) {
    const responses = (content.parts ?? []).filter((p) => p["functionResponse"]).length;
    const calls = (contents[i - 1]?.parts ?? []).filter((p) => p["functionCall"]).length;
    if (responses > 0 && responses !== calls)
      return bad(
        "Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.",
      );
  }
  if (!validatesSignatures(model)) return null;
  const start = contents.findLastIndex(
    (c) => c.role === "user" && (c.parts ?? []).some((p) => typeof p["text"] === "string"),
  );
  for (const [i, content] of contents.entries()) {
    if (content.role !== "model") continue;
    const parts = content.parts ?? [];
    for (const part of parts) {
      if (part["thoughtSignature"] === undefined || !part["functionCall"]) continue;
      const sealed = unseal(part["thoughtSignature"]);
      if (!sealed || sealed["d"] !== partDigest(part)) return bad("Corrupted thought signature.");
    }
    const first = parts.find((p) => p["functionCall"]);
    if (i > start && first && first["thoughtSignature"] === undefined) {
      const name = String((first["functionCall"] as { name?: unknown }).name);
      return bad(
        `Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call \`default_api:${name}\` , position ${i + 1}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.`,
      );
    }
  }
  return null;
}

/**
 * Thinking budgets of the 2.5 models (ai.google.dev/gemini-api/docs/thinking, "Thinking
 * budgets"); -1 is dynamic everywhere, 0 turns thinking off where the range starts at 0.
 */
const BUDGETS: Readonly<Record<string, readonly [number, number]>> = {
  "gemini-2.5-pro": [128, 32_768],
  "gemini-2.5-flash": [0, 24_576],
  "gemini-2.5-flash-lite": [512, 24_576],
};
const LEVELS = ["MINIMAL", "LOW", "MEDIUM", "HIGH"];

/**
 * `generationConfig.thinkingConfig`: Gemini 3 models take a `thinkingLevel` (the thinking page's
 * levels), the 2.5 models only a `thinkingBudget` in their range. The first message is the one
 * client code meets (`thinking_level is not supported for this model`); the wording of the other
 * two is assumed (the enum one in the form of Google's JSON parse errors).
 */
export function thinkingRefusal(
  body: Record<string, unknown>,
  model: string,
): GeminiRefusal | null {
  const config = (body["generationConfig"] as Record<string, unknown> | undefined)?.[
    "thinkingConfig"
  ] as { thinkingLevel?: unknown; thinkingBudget?: unknown } | undefined;
  if (!config) return null;
  const bad = (message: string): GeminiRefusal => [400, "INVALID_ARGUMENT", message];
  const level =
    config.thinkingLevel === undefined
      ? undefined
      : typeof config.thinkingLevel === "string"
        ? config.thinkingLevel
        : JSON.stringify(config.thinkingLevel);
  if (level !== undefined) {
    if (!model.startsWith("gemini-3"))
      return bad("thinking_level is not supported for this model.");
    if (!LEVELS.includes(level))
      return bad(
        `Invalid value at 'generation_config.thinking_config.thinking_level' (type.googleapis.com/google.ai.generativelanguage.v1beta.GenerationConfig.ThinkingConfig.ThinkingLevel), "${level}"`,
      );
  }
  const budget = config.thinkingBudget;
  const range = BUDGETS[model];
  if (
    typeof budget === "number" &&
    budget !== -1 &&
    range &&
    (budget < range[0] || budget > range[1])
  )
    return bad(
      `The thinking budget ${budget} is invalid. Please choose a value between ${range[0]} and ${range[1]}.`,
    );
  return null;
}
