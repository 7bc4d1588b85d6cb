// Wire format of the Gemini API's generateContent (ai.google.dev/api/generate-content): the
// response with candidates, finishReason and usageMetadata; errors as google.rpc.Status with
// QuotaFailure and RetryInfo details, in the shape the API sends (as quoted in
// googleapis/python-genai#2044 and google/langextract#50).
import nock from "nock";
import { GeminiModel } from "../../../src/providers/gemini/gemini-model.ts";
import {
  contentsRefusal,
  partDigest,
  thinkingRefusal,
  validatesSignatures,
} from "./gemini-rules.ts";
import { seal } from "./seal.ts";
import {
  serveJson,
  textOf,
  type Reply,
  type CanonicalAnswer,
  type CanonicalUsage,
  type Wire,
  type WireError,
} from "./types.ts";

const HOST = "https://generativelanguage.googleapis.com";
type Body = Record<string, unknown>;

const quota = (quotaId: string, retryDelay: string) => [
  {
    "@type": "type.googleapis.com/google.rpc.QuotaFailure",
    violations: [
      {
        quotaMetric:
          "generativelanguage.googleapis.com/generate_content_paid_tier_input_token_count",
        quotaId,
        quotaDimensions: { location: "global", model: "gemini-3.5-flash" },
        quotaValue: "2000000",
      },
    ],
  },
  {
    "@type": "type.googleapis.com/google.rpc.Help",
    links: [
      {
        description: "Learn more about Gemini API quotas",
        url: "https://ai.google.dev/gemini-api/docs/rate-limits",
      },
    ],
  },
  { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay },
];
const EXCEEDED =
  "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.";

const ERRORS: Record<WireError, [number, string, string, unknown[]]> = {
  rate_limit: [
    429,
    "RESOURCE_EXHAUSTED",
    EXCEEDED,
    quota("GenerateContentInputTokensPerModelPerMinute-PaidTier", "7s"),
  ],
  quota_minute: [
    429,
    "RESOURCE_EXHAUSTED",
    EXCEEDED,
    quota("GenerateRequestsPerMinutePerProjectPerModel-PaidTier", "7s"),
  ],
  quota_exhausted: [
    429,
    "RESOURCE_EXHAUSTED",
    EXCEEDED,
    quota("GenerateRequestsPerDayPerProjectPerModel-FreeTier", "39s"),
  ],
  overloaded: [503, "UNAVAILABLE", "The model is overloaded. Please try again later.", []],
  server: [
    500,
    "INTERNAL",
    "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
    [],
  ],
  auth: [
    400,
    "INVALID_ARGUMENT",
    "API key not valid. Please pass a valid API key.",
    [
      {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        reason: "API_KEY_INVALID",
        domain: "googleapis.com",
        metadata: { service: "generativelanguage.googleapis.com" },
      },
    ],
  ],
  context_length: [
    400,
    "INVALID_ARGUMENT",
    "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).",
    [],
  ],
};

function usageOf(u: CanonicalUsage) {
  return {
    promptTokenCount: u.uncached + u.cacheRead,
    candidatesTokenCount: u.output - u.reasoning,
    totalTokenCount: u.uncached + u.cacheRead + u.output,
    cachedContentTokenCount: u.cacheRead,
    thoughtsTokenCount: u.reasoning,
    promptTokensDetails: [{ modality: "TEXT", tokenCount: u.uncached + u.cacheRead }],
    cacheTokensDetails: [{ modality: "TEXT", tokenCount: u.cacheRead }],
  };
}

/**
 * A generateContent answer as the API writes it today (SDK `GenerateContentResponse`, `Part`):
 * Gemini 3 signs the first functionCall part of the answer, or the last part of an answer without
 * calls (thought-signatures page); each signature is bound to its part.
 */
export function responseOf(answer: CanonicalAnswer, model: string, issued?: string[]): Body {
  const parts: Body[] = [];
  if (answer.object !== undefined) parts.push({ text: JSON.stringify(answer.object) });
  else if (answer.text !== undefined) parts.push({ text: answer.text });
  for (const call of answer.toolCalls ?? [])
    parts.push({ functionCall: { name: call.name, args: call.input } });
  const signed = validatesSignatures(model)
    ? (parts.find((p) => p["functionCall"]) ?? parts.at(-1))
    : undefined;
  if (signed) {
    const signature = seal({
      k: signed["functionCall"] ? "fc" : "text",
      m: model,
      d: partDigest(signed),
    });
    issued?.push(signature);
    signed["thoughtSignature"] = signature;
  }
  const finish = { end: "STOP", tool_use: "STOP", max_tokens: "MAX_TOKENS", refusal: "SAFETY" };
  return {
    candidates: [
      {
        ...(answer.stop === "refusal" ? {} : { content: { parts, role: "model" } }),
        finishReason: finish[answer.stop],
        index: 0,
        ...(answer.stop === "refusal"
          ? {
              safetyRatings: [
                { category: "HARM_CATEGORY_DANGEROUS_CONTENT", probability: "HIGH", blocked: true },
              ],
            }
          : {}),
      },
    ],
    usageMetadata: usageOf(answer.usage),
    modelVersion: model,
    responseId: "s5AnaOSqN4-OjrEPjOfP2A4",
  };
}

export function geminiWire(options: { model?: string } = {}): Wire {
  const model = options.model ?? "gemini-3.5-flash";
  // The SDK picks the API version (3.x sends `v1`; the reference still shows `v1beta`).
  const path = new RegExp(`^/v1(beta)?/models/${model.replaceAll(".", "\\.")}:generateContent$`);
  const contents = (body: Body) => body["contents"] as { role: string; parts: Body[] }[];
  const issued: string[] = [];
  const reply = (body: Body, url: URL, answer: CanonicalAnswer): Reply => {
    const asked = /models\/([^/:]+)/.exec(url.pathname)?.[1] ?? model;
    const refused = thinkingRefusal(body, asked) ?? contentsRefusal(body, asked);
    if (refused) {
      const [code, status, message] = refused;
      return [code, { error: { code, message, status } }];
    }
    return [200, responseOf(answer, asked, issued)];
  };
  return {
    label: "Gemini API (@google/genai)",
    provider: "google",
    model,
    reportsCacheWrites: false,
    reasons: validatesSignatures(model),
    client: () => new GeminiModel({ apiKey: "AIzaSy-test-0000000000000000000000000" }),
    answer(answer, seen) {
      serveJson(
        HOST,
        path,
        (body, url) => {
          seen?.(body);
          return reply(body, url, answer);
        },
        { once: true },
      );
    },
    fail(error, times = 1) {
      const [code, status, message, details] = ERRORS[error];
      nock(HOST)
        .post(path)
        .times(times)
        .reply(code, {
          error: { code, message, status, ...(details.length > 0 ? { details } : {}) },
        });
    },
    // Any model: routing picks one per role.
    serve: (answer) =>
      serveJson(HOST, /^\/v1(beta)?\/models\/[^/]+:generateContent$/, (body, url) =>
        reply(body, url, answer(body)),
      ),
    usageOf,
    bill(raw, r) {
      // Billed: uncached prompt at the input rate, cached at the cache rate, answer and thoughts as output.
      const u = raw as ReturnType<typeof usageOf>;
      return (
        ((u.promptTokenCount - u.cachedContentTokenCount) * r.input +
          u.cachedContentTokenCount * r.cacheRead +
          (u.candidatesTokenCount + u.thoughtsTokenCount) * r.output) /
        1e6
      );
    },
    read: {
      system: (body) => {
        const instruction = (body["systemInstruction"] ??
          (body["config"] as Body | undefined)?.["systemInstruction"]) as
          { parts?: Body[] } | string | undefined;
        if (typeof instruction === "string") return instruction;
        return (instruction?.parts ?? []).map((p) => textOf(p["text"])).join("");
      },
      lastUserText: (body) => {
        const last = contents(body)
          .filter((c) => c.role === "user")
          .at(-1);
        return (last?.parts ?? []).map((p) => textOf(p["text"])).join("");
      },
      toolNames: (body) =>
        ((body["tools"] as { functionDeclarations?: Body[] }[] | undefined) ?? []).flatMap((t) =>
          (t.functionDeclarations ?? []).map((f) => String(f["name"])),
        ),
      schema: (body) => (body["generationConfig"] as Body | undefined)?.["responseJsonSchema"],
      lastToolResult: (body) => {
        const parts = contents(body).flatMap((c) => c.parts);
        const result = parts.filter((p) => p["functionResponse"]).at(-1)?.["functionResponse"] as
          { response?: { output?: string; error?: string } } | undefined;
        return result ? (result.response?.output ?? result.response?.error) : undefined;
      },
      reasoning: (body) =>
        contents(body).flatMap((c) =>
          c.parts.flatMap((p) =>
            typeof p["thoughtSignature"] === "string" ? [p["thoughtSignature"]] : [],
          ),
        ),
    },
    issued,
  };
}
