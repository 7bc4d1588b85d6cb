import { countTokens } from "gpt-tokenizer";
import type { AssistantPart, ModelRequest, UserPart } from "../../ports/language-model.ts";

/**
 * Token counts before a call, with `gpt-tokenizer` (OpenAI's o200k_base encoding, exact for
 * OpenAI's current models). Other vendors' tokenizers are not public; their counts differ by
 * a measured factor per provider (see test/engine/tokens.test.ts for the error against counts
 * the providers reported), applied here so that an estimate errs on the high side.
 */
const FACTOR: Readonly<Record<string, number>> = {
  anthropic: 1.35,
  google: 1.1,
  openai: 1,
};
/** For providers we have no measurement of (local models have many tokenizers). */
const UNKNOWN_FACTOR = 1.35;
/**
 * Tokens a provider adds to a request that offers tools: Anthropic's tool-use system prompt
 * (346 tokens with `tool_choice` auto on Claude 4 and later models, per its pricing page).
 */
const TOOL_PROMPT: Readonly<Record<string, number>> = { anthropic: 346 };
/** Per message and per request framing the APIs add (role markers, tool wrappers). */
const PER_MESSAGE = 4;
const PER_REQUEST = 4;

export const TOKENIZER = "gpt-tokenizer o200k_base";

/**
 * Special tokens (`<|endoftext|>`, `<|im_start|>`, …) in a prompt are text someone wrote (an
 * issue, a CI log, a file): counted as ordinary text, as the providers' tokenizers do for text
 * sent to them. gpt-tokenizer's default refuses them with a throw, before any call.
 */
const AS_TEXT = { disallowedSpecial: new Set<string>() } as const;

const memo = new Map<string, number>();
const MEMO_LIMIT = 256;

/** Tokens of one text, memoised: prompts repeat their stable prefix on every turn. */
export function textTokens(text: string): number {
  if (text.length < 64) return countTokens(text, AS_TEXT);
  const known = memo.get(text);
  if (known !== undefined) return known;
  const count = countTokens(text, AS_TEXT);
  if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value as string);
  memo.set(text, count);
  return count;
}

/** o200k tokens of everything a request sends: system, messages, tools and schema. */
export function requestTokens(request: Omit<ModelRequest, "model" | "tag">): number {
  let total = PER_REQUEST + textTokens(request.system);
  for (const message of request.messages) {
    total += PER_MESSAGE;
    for (const part of message.content) total += partTokens(part);
  }
  for (const tool of request.tools ?? [])
    total += textTokens(`${tool.name}\n${tool.description}\n${JSON.stringify(tool.inputSchema)}`);
  if (request.schema) total += textTokens(JSON.stringify(request.schema.jsonSchema));
  return total;
}

/**
 * One part, by kind: every kind is named (a new one fails to compile here rather than being
 * counted as something else). Reasoning state is counted whole, opaque bytes included: the
 * provider reads it back as input, and a high estimate is the safe side.
 */
function partTokens(part: UserPart | AssistantPart): number {
  switch (part.type) {
    case "text":
      return textTokens(part.text);
    case "tool_result":
      return textTokens(part.content) + PER_MESSAGE;
    case "tool_call":
      return textTokens(JSON.stringify(part.input)) + textTokens(part.name) + PER_MESSAGE;
    case "reasoning":
      return textTokens(JSON.stringify(part.verbatim.data)) + PER_MESSAGE;
  }
}

/** Counts by request object: the budget and rate-limit stages of one call ask for the same. */
const byRequest = new WeakMap<object, number>();

/** The estimate for one provider: o200k tokens times the provider's measured factor, rounded up. */
export function estimateInputTokens(
  provider: string,
  request: Omit<ModelRequest, "model" | "tag">,
): number {
  let tokens = byRequest.get(request);
  if (tokens === undefined) {
    tokens = requestTokens(request);
    byRequest.set(request, tokens);
  }
  const tools = request.tools && request.tools.length > 0 ? (TOOL_PROMPT[provider] ?? 0) : 0;
  return Math.ceil(tokens * (FACTOR[provider] ?? UNKNOWN_FACTOR)) + tools;
}

export function tokenFactor(provider: string): number {
  return FACTOR[provider] ?? UNKNOWN_FACTOR;
}
