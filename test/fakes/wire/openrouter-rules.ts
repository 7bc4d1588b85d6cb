// OpenRouter's Chat Completions with a reasoning model behind it: the model's reasoning state
// comes back as `reasoning_details` on the assistant message, and for Gemini models it must be
// sent back with the tool calls ("Preserving reasoning blocks",
// openrouter.ai/docs/guides/best-practices/reasoning-tokens#preserving-reasoning-blocks). The
// refusal is relayed as OpenRouter relays an upstream 400 ("Provider returned error" with the
// upstream's words in `metadata.raw`), in the words quoted by users of the API (see README.md).
import { digest, seal, unseal } from "./seal.ts";

type Message = Record<string, unknown>;
type ToolCall = { id: string; function: { name: string; arguments: string } };

/** Gemini 3 behind OpenRouter checks thought signatures, as Google's API does (gemini-rules.ts). */
export const checksReasoningDetails = (model: string): boolean => /^google\/gemini-3/.test(model);

/** The entry OpenRouter writes for a Gemini thought signature on a tool call. */
export function reasoningDetail(model: string, call: ToolCall): Record<string, unknown> {
  return {
    type: "reasoning.encrypted",
    data: seal({ k: "or", m: model, d: digest(call.function) }),
    id: call.id,
    format: "google-gemini-v1",
    index: 0,
  };
}

const DOCS =
  "https://openrouter.ai/docs/guides/best-practices/reasoning-tokens#preserving-reasoning-blocks";

/** The 400 OpenRouter answers for the first call of the current turn sent back without its detail; null when accepted. */
export function detailsRefusal(body: Record<string, unknown>): unknown {
  const model = String(body["model"]);
  if (!checksReasoningDetails(model)) return null;
  const messages = ((body["messages"] as Message[] | undefined) ?? []).filter(
    (m) => m["role"] !== "system",
  );
  const start = messages.findLastIndex((m) => m["role"] === "user");
  for (const [i, message] of messages.entries()) {
    const calls = (message["tool_calls"] as ToolCall[] | undefined) ?? [];
    const first = calls[0];
    if (i < start || message["role"] !== "assistant" || !first) continue;
    const details = (message["reasoning_details"] as Record<string, unknown>[] | undefined) ?? [];
    const detail = details.find((d) => d["id"] === first.id);
    const sealed = unseal(detail?.["data"]);
    if (sealed && sealed["d"] === digest(first.function)) continue;
    const upstream = {
      error: {
        code: 400,
        message: `Unable to submit request because function call \`default_api:${first.function.name}\` in the ${i + 1}. content block is missing a \`thought_signature\` in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance.`,
        status: "INVALID_ARGUMENT",
      },
    };
    return {
      error: {
        message: "Provider returned error",
        code: 400,
        metadata: {
          raw: `Gemini models require OpenRouter reasoning details to be preserved in each request. Please refer to our docs: ${DOCS}. Upstream error: ${JSON.stringify(upstream, null, 2)}`,
          provider_name: "Google",
        },
      },
    };
  }
  return null;
}
