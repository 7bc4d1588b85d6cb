// The contract every LanguageModel keeps, run against each provider's real SDK with its HTTP
// answered by nock in that API's own wire format (see test/fakes/wire/), and against replay.
import { describe, expect, it } from "vitest";
import { ProviderError, type ProviderErrorKind } from "../../src/core/errors.ts";
import { costOf } from "../../src/core/cost/prices.ts";
import type { Message, ModelRequest, ModelResponse } from "../../src/ports/language-model.ts";
import { strictHttp } from "../fakes/http.ts";
import { anthropicWire } from "../fakes/wire/anthropic.ts";
import { geminiWire } from "../fakes/wire/gemini.ts";
import { openaiChatWire, openaiResponsesWire } from "../fakes/wire/openai.ts";
import { replayWire } from "../fakes/wire/replay.ts";
import type { CanonicalAnswer, CanonicalUsage, Wire, WireError } from "../fakes/wire/types.ts";

const WIRES: (() => Wire)[] = [
  () => anthropicWire(),
  () => geminiWire(),
  () => openaiResponsesWire(),
  () => openaiChatWire(),
  () => openaiChatWire({ provider: "vllm", baseURL: "http://10.0.0.7:8000/v1" }),
  () =>
    openaiChatWire({
      provider: "openrouter",
      baseURL: "https://openrouter.ai/api/v1",
      model: "google/gemini-3.5-flash",
    }),
  () => replayWire(),
];

const TAG = { task: "T1", role: "implementer", step: "S1", attempt: 1, turn: 0 };
const USAGE: CanonicalUsage = {
  uncached: 1200,
  cacheRead: 0,
  cacheWrite: 0,
  output: 80,
  reasoning: 0,
};
const TOOLS = [
  {
    name: "read_file",
    description: "Read a file of the work tree.",
    inputSchema: {
      type: "object",
      properties: { path: { type: "string" } },
      required: ["path"],
      additionalProperties: false,
    },
  },
];
const SCHEMA = {
  name: "plan_review",
  jsonSchema: {
    type: "object",
    properties: {
      status: { type: "string", enum: ["approved", "needs_changes"] },
      concerns: { type: "array", items: { type: "string" } },
    },
    required: ["status", "concerns"],
    additionalProperties: false,
  },
};

/** The provider's own copy of a part, when its adapter keeps one. */
function verbatimOf(response: ModelResponse, type: string): object {
  const part = response.content.find((p) => p.type === type) as { verbatim?: unknown } | undefined;
  return part?.verbatim === undefined ? {} : { verbatim: part.verbatim };
}

function request(over: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: "m",
    system: "Only this message carries instructions.",
    messages: [{ role: "user", content: [{ type: "text", text: "Step S1: add a helper." }] }],
    maxOutputTokens: 4096,
    cacheHint: true,
    tag: TAG,
    ...over,
  };
}

/** What each wire error must become, whatever the API calls it. */
const KINDS: Record<
  WireError,
  { kinds: ProviderErrorKind[]; retryable: boolean; afterMs?: number }
> = {
  rate_limit: { kinds: ["rate_limit"], retryable: true, afterMs: 7000 },
  quota_minute: { kinds: ["rate_limit"], retryable: true, afterMs: 7000 },
  overloaded: { kinds: ["overloaded"], retryable: true },
  server: { kinds: ["server"], retryable: true },
  quota_exhausted: { kinds: ["quota", "quota_day"], retryable: false },
  auth: { kinds: ["auth"], retryable: false },
  context_length: { kinds: ["context_length"], retryable: false },
};

describe.each(WIRES.map((make) => [make().label + " " + make().provider, make] as const))(
  "LanguageModel contract: %s",
  (_label, make) => {
    strictHttp();

    it("answers text, with its stop reason and usage", async () => {
      const wire = make();
      let sent: Record<string, unknown> = {};
      wire.answer({ text: "Done: helper added.", stop: "end", usage: USAGE }, (b) => (sent = b));
      const response = await wire.client().generate(request({ model: wire.model }));
      expect(response.text).toBe("Done: helper added.");
      expect(response.content.filter((p) => p.type !== "reasoning")).toEqual([
        { type: "text", text: "Done: helper added.", ...verbatimOf(response, "text") },
      ]);
      expect(response.stopReason).toBe("end");
      expect(response.usage.input).toEqual({ noCache: 1200, cacheRead: 0, cacheWrite: 0 });
      expect(response.usage.output).toBe(80);
      expect(wire.read.system(sent)).toBe("Only this message carries instructions.");
      expect(wire.read.lastUserText(sent)).toBe("Step S1: add a helper.");
    });

    it("serves every request until stopped (for whole tasks on one wire)", async () => {
      const wire = make();
      const seen: string[] = [];
      const stop = wire.serve((body) => {
        seen.push(wire.read.lastUserText(body));
        return { text: `answer ${seen.length}`, stop: "end", usage: USAGE };
      });
      const client = wire.client();
      const first = await client.generate(request({ model: wire.model }));
      const second = await client.generate(request({ model: wire.model }));
      stop();
      expect([first.text, second.text]).toEqual(["answer 1", "answer 2"]);
      expect(seen).toEqual(["Step S1: add a helper.", "Step S1: add a helper."]);
    });

    it("calls a tool, and takes the tool's result back in the next turn", async () => {
      const wire = make();
      let first: Record<string, unknown> = {};
      wire.answer(
        {
          text: "Reading it first.",
          toolCalls: [{ id: "call_01", name: "read_file", input: { path: "src/a.js" } }],
          stop: "tool_use",
          usage: USAGE,
        },
        (b) => (first = b),
      );
      const client = wire.client();
      const asked = request({ model: wire.model, tools: TOOLS });
      const response = await client.generate(asked);
      expect(wire.read.toolNames(first)).toEqual(["read_file"]);
      expect(response.stopReason).toBe("tool_use");
      const call = response.content.find((p) => p.type === "tool_call");
      expect(call).toMatchObject({ name: "read_file", input: { path: "src/a.js" } });
      if (call?.type !== "tool_call") throw new Error("no tool call");

      let second: Record<string, unknown> = {};
      wire.answer({ text: "It exports one function.", stop: "end", usage: USAGE }, (b) => {
        second = b;
      });
      const next = await client.generate({
        ...asked,
        messages: [
          ...asked.messages,
          { role: "assistant", content: response.content },
          {
            role: "user",
            content: [
              {
                type: "tool_result",
                toolCallId: call.id,
                content: "export const a = 1;",
                isError: false,
              },
            ],
          },
        ],
        tag: { ...TAG, turn: 1 },
      });
      expect(wire.read.lastToolResult(second)).toContain("export const a = 1;");
      expect(next.text).toBe("It exports one function.");
    });

    it("keeps the model's reasoning through a three-turn tool loop, sending every turn back exactly as received", async () => {
      const wire = make();
      const client = wire.client();
      const asked = request({ model: wire.model, tools: TOOLS });
      const messages: Message[] = [...asked.messages];
      const turns: CanonicalAnswer[] = [
        {
          text: "Reading it first.",
          toolCalls: [{ id: "call_01", name: "read_file", input: { path: "src/a.js" } }],
          stop: "tool_use",
          usage: USAGE,
        },
        {
          toolCalls: [
            { id: "call_02", name: "read_file", input: { path: "src/b.js" } },
            { id: "call_03", name: "read_file", input: { path: "src/c.js" } },
          ],
          stop: "tool_use",
          usage: USAGE,
        },
        { text: "All three export one function.", stop: "end", usage: USAGE },
      ];
      let last: ModelResponse | undefined;
      for (const [turn, answer] of turns.entries()) {
        // What the model said so far, opaque state included, must all come back, in order.
        const before = [...wire.issued];
        let sent: Record<string, unknown> = {};
        wire.answer(answer, (b) => (sent = b));
        last = await client.generate({ ...asked, messages: [...messages], tag: { ...TAG, turn } });
        expect(wire.read.reasoning(sent)).toEqual(before);
        if (last.stopReason !== "tool_use") break;
        messages.push({ role: "assistant", content: last.content });
        messages.push({
          role: "user",
          content: last.content.flatMap((p) =>
            p.type === "tool_call"
              ? [
                  {
                    type: "tool_result" as const,
                    toolCallId: p.id,
                    content: `read ${(p.input as { path: string }).path}`,
                    isError: false,
                  },
                ]
              : [],
          ),
        });
      }
      expect(last?.text).toBe("All three export one function.");
      if (wire.reasons) expect(wire.issued.length).toBeGreaterThanOrEqual(3);
    });

    it("sends an answer without tool calls back with its reasoning when the conversation goes on (a repair turn)", async () => {
      const wire = make();
      const client = wire.client();
      const asked = request({ model: wire.model, schema: SCHEMA });
      wire.answer({ text: '{"status": "approved"}', stop: "end", usage: USAGE });
      const first = await client.generate(asked);
      const before = [...wire.issued];
      let sent: Record<string, unknown> = {};
      const object = { status: "approved", concerns: [] };
      wire.answer({ object, stop: "end", usage: USAGE }, (b) => (sent = b));
      const second = await client.generate({
        ...asked,
        messages: [
          ...asked.messages,
          { role: "assistant", content: first.content },
          { role: "user", content: [{ type: "text", text: "concerns is required." }] },
        ],
        tag: { ...TAG, turn: 1 },
      });
      expect(wire.read.reasoning(sent)).toEqual(before);
      if (wire.reasons) expect(before.length).toBeGreaterThan(0);
      expect(second.object).toEqual(object);
    });

    it("answers a schema with the object, asking through the API's structured output", async () => {
      const wire = make();
      let sent: Record<string, unknown> = {};
      const object = { status: "needs_changes", concerns: ["no test for the empty case"] };
      wire.answer({ object, stop: "end", usage: USAGE }, (b) => (sent = b));
      const response = await wire
        .client()
        .generate(
          request({ model: wire.model, schema: SCHEMA, tag: { ...TAG, role: "plan_reviewer" } }),
        );
      expect(response.object).toEqual(object);
      expect(wire.read.schema(sent)).toMatchObject({ required: ["status", "concerns"] });
    });

    it("reports usage with cache reads, cache writes where the API reports them, and reasoning", async () => {
      const wire = make();
      const usage: CanonicalUsage = {
        uncached: 3000,
        cacheRead: 60_000,
        cacheWrite: wire.reportsCacheWrites ? 2048 : 0,
        output: 900,
        reasoning: 512,
      };
      wire.answer({ text: "ok", stop: "end", usage });
      const response = await wire.client().generate(request({ model: wire.model }));
      expect(response.usage).toEqual({
        input: { noCache: 3000, cacheRead: 60_000, cacheWrite: usage.cacheWrite },
        output: 900,
        reasoning: 512,
      });
    });

    it("matches the vendor's bill exactly: the ledger's cost from normalised usage equals the bill from raw usage", async () => {
      const wire = make();
      const rates = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 };
      const usages: CanonicalUsage[] = [
        { uncached: 1, cacheRead: 0, cacheWrite: 0, output: 1, reasoning: 0 },
        { uncached: 4711, cacheRead: 61_440, cacheWrite: 0, output: 2213, reasoning: 1800 },
        { uncached: 120_000, cacheRead: 8192, cacheWrite: 0, output: 64_000, reasoning: 0 },
      ];
      if (wire.reportsCacheWrites)
        usages.push({ uncached: 12, cacheRead: 0, cacheWrite: 58_000, output: 300, reasoning: 0 });
      for (const usage of usages) {
        wire.answer({ text: "ok", stop: "end", usage });
        const response: ModelResponse = await wire
          .client()
          .generate(request({ model: wire.model }));
        const bill = wire.bill(wire.usageOf(usage), rates);
        expect(costOf(response.usage, rates)).toBe(Math.round(bill * 1e6) / 1e6);
      }
    });

    it("says max_tokens when the answer was cut off, and gives no object", async () => {
      const wire = make();
      wire.answer({ text: '{"status": "appro', stop: "max_tokens", usage: USAGE });
      const response = await wire.client().generate(request({ model: wire.model, schema: SCHEMA }));
      expect(response.stopReason).toBe("max_tokens");
      expect(response.object).toBeUndefined();
    });

    it("says refusal when the model or its safety system declined", async () => {
      const wire = make();
      wire.answer({ stop: "refusal", usage: USAGE });
      const response = await wire.client().generate(request({ model: wire.model }));
      expect(response.stopReason).toBe("refusal");
      expect(response.object).toBeUndefined();
    });

    it.each(Object.entries(KINDS))(
      "turns %s into a ProviderError of the right kind, retryable only when waiting helps",
      async (error, expected) => {
        const wire = make();
        wire.fail(error as WireError);
        const failure = await wire
          .client()
          .generate(request({ model: wire.model }))
          .then(
            () => null,
            (e: unknown) => e,
          );
        expect(failure).toBeInstanceOf(ProviderError);
        const e = failure as ProviderError;
        expect(expected.kinds).toContain(e.kind);
        expect(e.retryable).toBe(expected.retryable);
        expect(e.provider).toBe(wire.provider);
        if (expected.afterMs !== undefined) expect(e.retryAfterMs).toBe(expected.afterMs);
        expect(e.message).not.toMatch(/sk-ant-test-0|sk-test-0|AIzaSy-test|Bearer/);
      },
    );
  },
);
