import type {
  Content,
  FinishReason,
  GenerateContentParameters,
  GenerateContentResponse,
  Part,
} from "@google/genai";
import type {
  AssistantPart,
  ModelRequest,
  ModelResponse,
  StopReason,
} from "../../ports/language-model.ts";
import type { Effort } from "../../core/vocabulary/effort.ts";
import { cachedUsage, parseObject } from "../answers.ts";

const PROVIDER = "google";

/**
 * Thinking budgets for the 2.5 models, which take a budget and no level (ai.google.dev/gemini-api/
 * docs/thinking, "Thinking budgets": 2.5 Pro 128 to 32,768, Flash 0 to 24,576, Flash-Lite 512 to
 * 24,576). The levels above high exist only for 2.5 Pro's range.
 */
const BUDGET: Record<Effort, number> = {
  low: 1024,
  medium: 8192,
  high: 24_576,
  xhigh: 32_768,
  max: 32_768,
};

/**
 * An effort as the model's thinking configuration: a `thinkingLevel` from Gemini 3 on (the
 * thinking page: "use thinkingLevel with Gemini 3 models"), a `thinkingBudget` before.
 */
function thinkingConfig(
  model: string,
  effort: Effort,
): { thinkingConfig: Record<string, unknown> } {
  return {
    thinkingConfig: model.startsWith("gemini-2.")
      ? { thinkingBudget: BUDGET[effort] }
      : { thinkingLevel: effort.toUpperCase() },
  };
}

/**
 * Our request for `generateContent`: the system instruction, then the conversation. Tools are
 * function declarations with JSON Schema parameters; structured output is a JSON response with
 * a JSON Schema. The stable prefix comes first and unchanged, so implicit caching can hit. A
 * model turn goes back as the parts it was, thought signatures in the parts they came in
 * ("Thought signatures": "pass it back exactly as received").
 */
export function toGenerateParams(
  request: ModelRequest,
  signal?: AbortSignal,
): GenerateContentParameters {
  const names = new Map<string, string>();
  /** Calls the API gave an id: their responses carry it back. */
  const ids = new Set<string>();
  const contents: Content[] = request.messages.map((message) => {
    if (message.role === "assistant") {
      const parts: Part[] = message.content.flatMap((p): Part[] => {
        const own = p.verbatim?.provider === PROVIDER ? (p.verbatim.data as Part) : undefined;
        if (p.type === "tool_call") {
          names.set(p.id, p.name);
          if ((own?.functionCall as { id?: string } | undefined)?.id === p.id) ids.add(p.id);
        }
        if (own) return [own];
        if (p.type === "text") return [{ text: p.text }];
        if (p.type === "reasoning") return [];
        return [{ functionCall: { name: p.name, args: asArgs(p.input) } }];
      });
      return { role: "model", parts };
    }
    const parts: Part[] = message.content.map((p) =>
      p.type === "text"
        ? { text: p.text }
        : {
            functionResponse: {
              ...(ids.has(p.toolCallId) ? { id: p.toolCallId } : {}),
              name: names.get(p.toolCallId) ?? p.toolCallId,
              response: p.isError ? { error: p.content } : { output: p.content },
            },
          },
    );
    return { role: "user", parts };
  });
  return {
    model: request.model,
    contents,
    config: {
      systemInstruction: request.system,
      maxOutputTokens: request.maxOutputTokens,
      ...(request.tools && !request.schema
        ? {
            tools: [
              {
                functionDeclarations: request.tools.map((t) => ({
                  name: t.name,
                  description: t.description,
                  parametersJsonSchema: t.inputSchema,
                })),
              },
            ],
          }
        : {}),
      ...(request.schema
        ? {
            responseMimeType: "application/json",
            responseJsonSchema: withoutMeta(request.schema.jsonSchema),
          }
        : {}),
      ...(request.effort ? thinkingConfig(request.model, request.effort) : {}),
      ...(signal ? { abortSignal: signal } : {}),
    },
  };
}

const STOP: Partial<Record<string, StopReason>> = {
  STOP: "end",
  MAX_TOKENS: "max_tokens",
  SAFETY: "refusal",
  RECITATION: "refusal",
  PROHIBITED_CONTENT: "refusal",
  BLOCKLIST: "refusal",
  SPII: "refusal",
  IMAGE_SAFETY: "refusal",
};

/**
 * A `generateContent` answer in our terms. The prompt count includes cached tokens, and
 * thinking tokens are billed as output: both are normalised here. Every part is kept as it came
 * (`verbatim`): a thought part as reasoning, a signed text or call with its signature.
 */
export function fromGenerateResponse(
  response: GenerateContentResponse,
  request: ModelRequest,
): ModelResponse {
  const candidate = response.candidates?.[0];
  const content: AssistantPart[] = [];
  (candidate?.content?.parts ?? []).forEach((part, i) => {
    const verbatim = { provider: PROVIDER, data: { ...part }, opaque: ["thoughtSignature"] };
    if (part.thought) content.push({ type: "reasoning", verbatim });
    else if (part.functionCall?.name)
      content.push({
        type: "tool_call",
        id: part.functionCall.id ?? `${part.functionCall.name}_${i}`,
        name: part.functionCall.name,
        input: part.functionCall.args ?? {},
        verbatim,
      });
    else if (part.text !== undefined) content.push({ type: "text", text: part.text, verbatim });
  });
  const finish: FinishReason | undefined = candidate?.finishReason;
  let stopReason: StopReason = STOP[finish ?? ""] ?? (candidate ? "other" : "refusal");
  if (stopReason === "end" && content.some((p) => p.type === "tool_call")) stopReason = "tool_use";
  const blocked = response.promptFeedback?.blockReason;
  if (blocked) stopReason = "refusal";
  const text = content.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("");
  const object = request.schema && stopReason === "end" ? parseObject(text) : undefined;
  const u = response.usageMetadata;
  const thoughts = u?.thoughtsTokenCount ?? 0;
  return {
    text: blocked ? `blocked: ${blocked}` : text,
    ...(object === undefined ? {} : { object }),
    content,
    stopReason,
    usage: cachedUsage(
      {
        prompt: (u?.promptTokenCount ?? 0) + (u?.toolUsePromptTokenCount ?? 0),
        cached: u?.cachedContentTokenCount ?? 0,
        output: (u?.candidatesTokenCount ?? 0) + thoughts,
        reasoning: thoughts,
      },
      PROVIDER,
    ),
  };
}

function asArgs(input: unknown): Record<string, unknown> {
  return typeof input === "object" && input !== null && !Array.isArray(input)
    ? (input as Record<string, unknown>)
    : { value: input };
}

function withoutMeta(schema: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { $schema: _, ...rest } = schema;
  return rest;
}
