// The Responses API's rules for the input items of a stateless (`store: false`) conversation,
// each with the error the API answers. Sources: the SDK's `ResponseReasoningItem` and
// `ResponseIncludable` reference (reasoning items go back in `input` with their
// `encrypted_content`; `reasoning.encrypted_content` is what makes them usable with
// `store: false`), the reasoning guide ("Keeping reasoning items in context"), and the errors
// the API gives, as quoted in openai/openai-agents-python#919 and #1611, vercel/ai#7543 and
// earendil-works/pi#5059. See test/fakes/wire/README.md.
import { unseal } from "./seal.ts";

type Item = Record<string, unknown>;
export type OpenAIRefusal = readonly [
  status: number,
  message: string,
  param: string | null,
  code?: string,
];

/** Output items after a reasoning item depend on it: their ids carry the reasoning item's. */
export const requiredReasoning = (id: string): string | null => {
  const match = /^(?:fc|msg)_([0-9a-f]{32})_\d+$/.exec(id);
  return match ? `rs_${match[1]}` : null;
};

/**
 * `reasoning.effort` values each model of models.yaml takes. The SDK's `ReasoningEffort` is the
 * API's scale; the GPT-6 models' pages are not in our reference store, so their levels are
 * assumed as the GPT-5.x pages list them (the frontier models to `xhigh`, the small one to `high`).
 */
const SCALE = ["none", "minimal", "low", "medium", "high", "xhigh", "max"];
export const EFFORTS: Readonly<Record<string, readonly string[]>> = {
  "gpt-6.2-sol": ["none", "low", "medium", "high", "xhigh"],
  "gpt-6.1-terra": ["none", "low", "medium", "high", "xhigh"],
  "gpt-6-luna": ["minimal", "low", "medium", "high"],
};

/** `'a', 'b', and 'c'`, as the API lists supported values. */
const listed = (values: readonly string[]): string =>
  `${values
    .slice(0, -1)
    .map((v) => `'${v}'`)
    .join(", ")}, and '${values.at(-1)}'`;

/**
 * The API's answers to a `reasoning.effort` (as quoted in public client code and issues): a model
 * that does not reason takes no `reasoning`; a value off the scale is an invalid value; a value the
 * model does not take is an unsupported value, with the model's list.
 */
export function effortRefusal(
  body: Record<string, unknown>,
  reasoningModel: boolean,
): OpenAIRefusal | null {
  const effort = (body["reasoning"] as { effort?: unknown } | undefined)?.effort;
  if (effort === undefined || effort === null) return null;
  const model = String(body["model"]);
  if (!reasoningModel)
    return [
      400,
      "Unsupported parameter: 'reasoning.effort' is not supported with this model.",
      "reasoning.effort",
      "unsupported_parameter",
    ];
  const value = typeof effort === "string" ? effort : JSON.stringify(effort);
  if (!SCALE.includes(value))
    return [
      400,
      `Invalid value: '${value}'. Supported values are: ${listed(SCALE)}.`,
      "reasoning.effort",
      "invalid_value",
    ];
  const levels = EFFORTS[model] ?? SCALE;
  if (!levels.includes(value))
    return [
      400,
      `Unsupported value: 'reasoning.effort' does not support '${value}' with this model. Supported values are: ${listed(levels)}.`,
      "reasoning.effort",
      "unsupported_value",
    ];
  return null;
}

/** The first rule the input breaks; null when it is accepted. */
export function inputRefusal(
  body: Record<string, unknown>,
  reasoningModel: boolean,
): OpenAIRefusal | null {
  const effort = effortRefusal(body, reasoningModel);
  if (effort) return effort;
  // Reasoning models refuse sampling parameters (API reference, `temperature`).
  if (reasoningModel)
    for (const p of ["temperature", "top_p"] as const)
      if (body[p] !== undefined)
        return [400, `Unsupported parameter: '${p}' is not supported with this model.`, p];
  const input = (body["input"] as Item[] | undefined) ?? [];
  const stored = body["store"] !== false;
  for (const [i, item] of input.entries()) {
    const id = typeof item["id"] === "string" ? item["id"] : undefined;
    if (item["type"] === "reasoning" && id) {
      const sealed = unseal(item["encrypted_content"]);
      if (item["encrypted_content"] == null && !stored)
        return [
          404,
          `Item with id '${id}' not found. Items are not persisted when \`store\` is set to false. Try again with \`store\` set to true, or remove this item from your input.`,
          "input",
        ];
      if (!sealed || sealed["id"] !== id)
        return [
          400,
          `The encrypted content for item ${id} could not be verified. Reason: Encrypted content could not be decrypted or parsed.`,
          null,
          "invalid_encrypted_content",
        ];
      const next = input[i + 1];
      if (!next || next["id"] !== sealed["next"])
        return [
          400,
          `Item '${id}' of type 'reasoning' was provided without its required following item.`,
          "input",
        ];
    }
    if (id && (item["type"] === "function_call" || item["type"] === "message")) {
      const reasoning = requiredReasoning(id);
      const before = input
        .slice(0, i)
        .some((x) => x["type"] === "reasoning" && x["id"] === reasoning);
      if (reasoning && !before)
        return [
          400,
          `Item '${id}' of type '${item["type"]}' was provided without its required 'reasoning' item: '${reasoning}'.`,
          "input",
        ];
    }
  }
  // Function calling guide: every function_call needs its function_call_output, and back.
  const calls = input.filter((x) => x["type"] === "function_call").map((x) => String(x["call_id"]));
  const outputs = input
    .filter((x) => x["type"] === "function_call_output")
    .map((x) => String(x["call_id"]));
  const unanswered = calls.find((c) => !outputs.includes(c));
  if (unanswered) return [400, `No tool output found for function call ${unanswered}.`, "input"];
  const stray = outputs.find((c) => !calls.includes(c));
  if (stray)
    return [400, `No tool call found for function call output with call_id ${stray}.`, "input"];
  return null;
}
