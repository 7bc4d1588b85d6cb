// The provider doubles refuse what the real APIs refuse (test/fakes/wire/README.md lists each
// rule with its source): requests written by hand through each vendor's real SDK, so that a
// double that let one through would fail here, whatever our adapters do.
import Anthropic from "@anthropic-ai/sdk";
import { GoogleGenAI } from "@google/genai";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CodeReview, Plan, PlanReview } from "../../src/core/plan/plan.ts";
import { toMessageParams } from "../../src/providers/anthropic/map-request.ts";
import { shippedModels } from "../../src/config/models.ts";
import { strictHttp } from "../fakes/http.ts";
import { CLAUDE_MODELS } from "../fakes/wire/anthropic-models.ts";
import { anthropicWire } from "../fakes/wire/anthropic.ts";
import { refusalOf, schemaRefusal } from "../fakes/wire/anthropic-rules.ts";
import { geminiWire } from "../fakes/wire/gemini.ts";
import { openaiChatWire, openaiResponsesWire } from "../fakes/wire/openai.ts";
import type { CanonicalAnswer } from "../fakes/wire/types.ts";

const USAGE = { uncached: 100, cacheRead: 0, cacheWrite: 0, output: 20, reasoning: 10 };
const CALL: CanonicalAnswer = {
  text: "Reading it first.",
  toolCalls: [{ id: "toolu_01", name: "read_file", input: { path: "a.js" } }],
  stop: "tool_use",
  usage: USAGE,
};
const DONE: CanonicalAnswer = { text: "Done.", stop: "end", usage: USAGE };

/** The body of the last error `outcome` saw, as the SDK parsed it. */
let lastError: unknown;

/** The API's error message for a request, or "accepted". */
async function outcome(send: () => Promise<unknown>): Promise<string> {
  lastError = undefined;
  try {
    await send();
    return "accepted";
  } catch (error) {
    const e = error as {
      status?: number;
      message?: string;
      error?: { error?: { message?: string } };
    };
    lastError = e.error;
    return `${e.status ?? "?"} ${e.error?.error?.message ?? e.message ?? String(error)}`;
  }
}

describe("the Anthropic double refuses what the Messages API refuses", () => {
  strictHttp();

  it("knows every Claude model of models.yaml (an unknown one is a 404, as the API answers)", () => {
    const claude = Object.keys(shippedModels().models)
      .filter((ref) => ref.startsWith("anthropic/"))
      .map((ref) => ref.slice("anthropic/".length));
    expect(claude.length).toBeGreaterThan(0);
    expect(claude.filter((id) => !(id in CLAUDE_MODELS))).toEqual([]);
  });

  // With a timeout of its own, the SDK sends a large max_tokens without streaming (as ours does).
  const client = new Anthropic({
    apiKey: "sk-ant-test-0000000000000000",
    maxRetries: 0,
    timeout: 600_000,
  });
  const TOOLS = [{ name: "read_file", input_schema: { type: "object" as const } }];
  type Params = Anthropic.Messages.MessageCreateParamsNonStreaming;
  type Block = Anthropic.Messages.ContentBlockParam;

  /** A first turn that calls a tool, and the request that would send its result back. */
  async function firstTurn(model = "claude-sonnet-5-5") {
    const wire = anthropicWire({ model });
    const base: Params = {
      model,
      max_tokens: 1024,
      system: "Only this message carries instructions.",
      tools: TOOLS,
      messages: [{ role: "user", content: "Read a.js." }],
    };
    wire.answer(CALL);
    const first = await client.messages.create(base);
    const next = (content: Block[], over: Partial<Params> = {}): Params => ({
      ...base,
      ...over,
      messages: [
        ...base.messages,
        { role: "assistant", content },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_01", content: "x" }] },
      ],
    });
    const send = (params: Params) => {
      wire.answer(DONE);
      return outcome(() => client.messages.create(params));
    };
    return { blocks: first.content as unknown as Block[], next, send };
  }

  it("answers thinking and redacted_thinking before text and tool use, and takes them back unchanged", async () => {
    const { blocks, next, send } = await firstTurn();
    expect(blocks.map((b) => b.type)).toEqual([
      "thinking",
      "redacted_thinking",
      "text",
      "tool_use",
    ]);
    expect(blocks[0]).toMatchObject({ thinking: "", signature: expect.any(String) });
    expect(await send(next(blocks))).toBe("accepted");
  });

  it.each([
    [
      "missing",
      (b: Block[]) => b.filter((x) => x.type === "text" || x.type === "tool_use"),
      /Expected `thinking` or `redacted_thinking`, but found `text`/,
    ],
    [
      "without its redacted_thinking",
      (b: Block[]) => b.filter((x) => x.type !== "redacted_thinking"),
      /cannot be modified/,
    ],
    [
      "reordered",
      (b: Block[]) => [b[1], b[0], ...b.slice(2)] as Block[],
      /bound to a different conversation/,
    ],
    [
      "with a changed signature",
      (b: Block[]) => [{ ...b[0], signature: "EqQBCkgIARABGAIiQL2" } as Block, ...b.slice(1)],
      /Invalid `signature` in `thinking` block/,
    ],
    [
      "with its text changed",
      (b: Block[]) => [{ ...b[0], thinking: "I will read it." } as Block, ...b.slice(1)],
      /blocks in the latest assistant message cannot be modified/,
    ],
  ])(
    "refuses a tool result after an assistant turn whose thinking is %s",
    async (_what, change, error) => {
      const { blocks, next, send } = await firstTurn();
      const result = await send(next(change(blocks)));
      expect(result).toMatch(/^400 /);
      expect(result).toMatch(error);
    },
  );

  it("refuses a conversation whose earlier content changed after a thinking block was produced, on preserved-thinking models only", async () => {
    for (const [model, expected] of [
      ["claude-sonnet-5-5", /400 .*The block is bound to a different conversation/],
      ["claude-opus-5", /^accepted$/],
    ] as const) {
      const { blocks, next, send } = await firstTurn(model);
      expect(
        await send(next(blocks, { system: "Only this message carries instructions (v2)." })),
      ).toMatch(expected);
    }
  });

  it("drops, without an error, a thinking block the model cannot read", async () => {
    const { blocks, next, send } = await firstTurn("claude-sonnet-5-5");
    expect(await send(next(blocks, { model: "claude-opus-5-5" }))).toBe("accepted");
  });

  it.each([
    [
      "forced tool use",
      { tool_choice: { type: "any" } },
      /400 Thinking may not be enabled when tool_choice forces tool use\./,
    ],
    [
      "thinking disabled",
      { thinking: { type: "disabled" } },
      /400 "thinking.type.disabled" is not supported for this model/,
    ],
    [
      "manual extended thinking",
      { thinking: { type: "enabled", budget_tokens: 2048 } },
      /400 "thinking.type.enabled" is not supported/,
    ],
    [
      "a sampling temperature",
      { temperature: 0.2 },
      /400 temperature is deprecated for this model/,
    ],
    ["more output than the model has", { max_tokens: 200_000 }, /400 max_tokens: 200000 > 128000/],
  ])("refuses %s on Claude Sonnet 5.5", async (_what, over, error) => {
    anthropicWire().answer(DONE);
    const result = await outcome(() =>
      client.messages.create({
        model: "claude-sonnet-5-5",
        max_tokens: 1024,
        messages: [{ role: "user", content: "Hi" }],
        ...over,
      } as Params),
    );
    expect(result).toMatch(error);
  });

  it.each([
    [
      "an open object",
      { type: "object", properties: { a: { type: "string" } } },
      "For 'object' type, 'additionalProperties' must be explicitly set to false",
    ],
    [
      "a range",
      {
        type: "object",
        additionalProperties: false,
        properties: { score: { type: "number", minimum: 0, maximum: 10 } },
      },
      "For 'number' type, properties maximum, minimum are not supported",
    ],
    [
      "a length",
      {
        type: "object",
        additionalProperties: false,
        properties: { s: { type: "string", minLength: 1 } },
      },
      "For 'string' type, properties minLength are not supported",
    ],
    [
      "a list of at least two",
      {
        type: "object",
        additionalProperties: false,
        properties: { l: { type: "array", items: { type: "string" }, minItems: 2 } },
      },
      "For 'array' type, 'minItems' values other than 0 or 1 are not supported",
    ],
  ])("refuses a structured-output schema with %s", async (_what, schema, error) => {
    anthropicWire().answer(DONE);
    const result = await outcome(() =>
      client.messages.create({
        model: "claude-sonnet-5-5",
        max_tokens: 1024,
        messages: [{ role: "user", content: "Hi" }],
        output_config: { format: { type: "json_schema", schema } },
      } as Params),
    );
    expect(result).toBe(`400 output_config.format.schema: ${error}`);
  });

  it("takes our plan, plan review and code review schemas as the adapter sends them", () => {
    for (const [name, schema] of [
      ["plan", Plan],
      ["plan_review", PlanReview],
      ["code_review", CodeReview],
    ] as const) {
      const jsonSchema = z.toJSONSchema(schema, { target: "draft-7" }) as Record<string, unknown>;
      expect(schemaRefusal(jsonSchema), name).not.toBeNull();
      const params = toMessageParams({
        model: "claude-sonnet-5-5",
        system: "s",
        messages: [{ role: "user", content: [{ type: "text", text: "Plan." }] }],
        schema: { name, jsonSchema },
        maxOutputTokens: 1024,
        tag: { task: "T1", role: "planner", step: null, attempt: 1, turn: 0 },
      });
      expect(refusalOf(params as unknown as Record<string, unknown>), name).toBeNull();
    }
  });

  it("refuses a prefilled assistant turn on the models that do, and takes it on Claude Sonnet 4.5", async () => {
    const prefill = (model: string) => {
      anthropicWire().answer(DONE);
      return outcome(() =>
        client.messages.create({
          model,
          max_tokens: 1024,
          messages: [
            { role: "user", content: "Hi" },
            { role: "assistant", content: "{" },
          ],
        }),
      );
    };
    expect(await prefill("claude-sonnet-5-5")).toMatch(
      /400 This model does not support assistant message prefill/,
    );
    expect(await prefill("claude-sonnet-4-5")).toBe("accepted");
  });
});

describe("the OpenAI double refuses what the Responses API refuses", () => {
  strictHttp();
  const client = new OpenAI({ apiKey: "sk-test-0000000000000000000000000000", maxRetries: 0 });
  type Item = OpenAI.Responses.ResponseInputItem;

  async function firstTurn() {
    const wire = openaiResponsesWire();
    const user: Item = { role: "user", content: "Read a.js." };
    wire.answer({
      ...CALL,
      toolCalls: [{ id: "call_01", name: "read_file", input: { path: "a.js" } }],
    });
    const first = await client.responses.create({ model: wire.model, input: [user], store: false });
    const output = first.output as unknown as Item[];
    const send = async (items: Item[], over: object = {}) => {
      wire.answer(DONE);
      return outcome(() =>
        client.responses.create({
          model: wire.model,
          store: false,
          input: [
            user,
            ...items,
            { type: "function_call_output", call_id: "call_01", output: "x" },
          ],
          ...over,
        }),
      );
    };
    return { output, send };
  }

  it("answers a reasoning item with its encrypted content first, and takes every item back as it came", async () => {
    const { output, send } = await firstTurn();
    expect(output.map((i) => i.type)).toEqual(["reasoning", "message", "function_call"]);
    expect(output[0]).toMatchObject({ encrypted_content: expect.any(String) });
    expect(await send(output)).toBe("accepted");
  });

  it.each([
    [
      "a function call item sent without its reasoning item",
      (o: Item[]) => o.slice(2),
      /400 Item 'fc_\w+' of type 'function_call' was provided without its required 'reasoning' item: 'rs_\w+'\./,
    ],
    [
      "a reasoning item without its encrypted content (store: false)",
      (o: Item[]) => [{ ...o[0], encrypted_content: null }, ...o.slice(1)] as Item[],
      /404 Item with id 'rs_\w+' not found\. Items are not persisted when `store` is set to false/,
    ],
    [
      "a reasoning item whose encrypted content changed",
      (o: Item[]) => [{ ...o[0], encrypted_content: "gAAAAABo-changed" }, ...o.slice(1)] as Item[],
      /400 The encrypted content for item rs_\w+ could not be verified\./,
    ],
    [
      "a reasoning item without the item that followed it",
      (o: Item[]) => [o[0], o[2]] as Item[],
      /400 Item 'rs_\w+' of type 'reasoning' was provided without its required following item\./,
    ],
    [
      "a function call without its output",
      (o: Item[]) =>
        [
          ...o,
          { type: "function_call", call_id: "call_09", name: "read_file", arguments: "{}" },
        ] as Item[],
      /400 No tool output found for function call call_09\./,
    ],
  ])("refuses %s", async (_what, change, error) => {
    const { output, send } = await firstTurn();
    expect(await send(change(output))).toMatch(error);
  });

  it("takes a function call rebuilt without an id and without its reasoning item, as the API does (the model continues without its reasoning)", async () => {
    const { send } = await firstTurn();
    const rebuilt: Item = {
      type: "function_call",
      call_id: "call_01",
      name: "read_file",
      arguments: '{"path":"a.js"}',
    };
    expect(await send([rebuilt])).toBe("accepted");
  });

  it("refuses a sampling temperature on a reasoning model", async () => {
    const { output, send } = await firstTurn();
    expect(await send(output, { temperature: 0.2 })).toMatch(
      /400 Unsupported parameter: 'temperature'/,
    );
  });
});

describe("the Gemini double refuses what the Gemini API refuses", () => {
  strictHttp();
  const ai = (model: string) => ({
    wire: geminiWire({ model }),
    client: new GoogleGenAI({
      apiKey: "AIzaSy-test-0000000000000000000000000",
      httpOptions: { retryOptions: { attempts: 1 } },
    }),
  });
  type Part = Record<string, unknown>;
  const user = { role: "user", parts: [{ text: "Read a.js." }] };
  const result = {
    role: "user",
    parts: [{ functionResponse: { name: "read_file", response: { output: "x" } } }],
  };

  async function firstTurn(model = "gemini-3.5-flash") {
    const { wire, client } = ai(model);
    wire.answer(CALL);
    const first = await client.models.generateContent({ model, contents: [user] });
    const parts = (first.candidates?.[0]?.content?.parts ?? []) as Part[];
    const send = (contents: unknown[]) => {
      wire.answer(DONE);
      return outcome(() => client.models.generateContent({ model, contents: contents as never }));
    };
    return { parts, send };
  }

  it("signs the first function call of an answer, and takes it back in its part", async () => {
    const { parts, send } = await firstTurn();
    expect(parts[1]).toMatchObject({
      functionCall: { name: "read_file" },
      thoughtSignature: expect.any(String),
    });
    expect(await send([user, { role: "model", parts }, result])).toBe("accepted");
  });

  it("refuses a function call of the current turn without its thought signature, on Gemini 3 only", async () => {
    const strip = (parts: Part[]) => parts.map(({ thoughtSignature: _, ...p }) => p);
    const three = await firstTurn();
    expect(await three.send([user, { role: "model", parts: strip(three.parts) }, result])).toMatch(
      /400 .*Function call is missing a thought_signature in functionCall parts/,
    );
    const older = await firstTurn("gemini-2.5-flash");
    expect(await older.send([user, { role: "model", parts: strip(older.parts) }, result])).toBe(
      "accepted",
    );
  });

  it("takes an earlier turn's call without its signature (only the current turn is checked)", async () => {
    const { parts, send } = await firstTurn();
    const unsigned = parts.map(({ thoughtSignature: _, ...p }) => p);
    const later = { role: "user", parts: [{ text: "Now b.js." }] };
    expect(
      await send([
        user,
        { role: "model", parts: unsigned },
        result,
        { role: "model", parts: [{ text: "ok" }] },
        later,
      ]),
    ).toBe("accepted");
  });

  it("refuses a signature moved to another part, and unequal calls and responses", async () => {
    const { parts, send } = await firstTurn();
    const moved = [
      {
        functionCall: { name: "read_file", args: { path: "b.js" } },
        thoughtSignature: parts[1]?.["thoughtSignature"],
      },
    ];
    expect(await send([user, { role: "model", parts: moved }, result])).toMatch(
      /400 .*Corrupted thought signature\./,
    );
    const again = await firstTurn();
    expect(
      await again.send([
        user,
        { role: "model", parts: again.parts },
        { role: "user", parts: [...result.parts, ...result.parts] },
      ]),
    ).toMatch(
      /400 .*number of function response parts is equal to the number of function call parts/,
    );
  });
});

describe("the OpenRouter double refuses what OpenRouter refuses for a Gemini 3 model", () => {
  strictHttp();
  const client = new OpenAI({
    apiKey: "sk-or-test-0000000000000000",
    baseURL: "https://openrouter.ai/api/v1",
    maxRetries: 0,
  });
  type Param = OpenAI.Chat.Completions.ChatCompletionMessageParam;

  async function firstTurn(model = "google/gemini-3.5-flash") {
    const wire = openaiChatWire({
      provider: "openrouter",
      baseURL: "https://openrouter.ai/api/v1",
      model,
    });
    const user: Param = { role: "user", content: "Read a.js." };
    wire.answer(CALL);
    const first = await client.chat.completions.create({ model, messages: [user] });
    const message = first.choices[0]?.message as unknown as Record<string, unknown>;
    const send = (assistant: Record<string, unknown>) => {
      wire.answer(DONE);
      return outcome(() =>
        client.chat.completions.create({
          model,
          messages: [
            user,
            assistant as unknown as Param,
            { role: "tool", tool_call_id: "toolu_01", content: "x" },
          ],
        }),
      );
    };
    return { message, send };
  }

  it("answers reasoning_details with the tool calls, and takes them back", async () => {
    const { message, send } = await firstTurn();
    expect(message["reasoning_details"]).toEqual([
      expect.objectContaining({ type: "reasoning.encrypted", id: "toolu_01" }),
    ]);
    expect(await send(message)).toBe("accepted");
  });

  it("refuses the tool calls sent back without their reasoning_details, as a relayed upstream 400", async () => {
    const { message, send } = await firstTurn();
    const { reasoning_details: _, ...rebuilt } = message;
    expect(await send(rebuilt)).toMatch(/^400 400 Provider returned error$/);
    expect(lastError).toMatchObject({
      metadata: {
        raw: expect.stringMatching(
          /^Gemini models require OpenRouter reasoning details to be preserved in each request\..*function call `default_api:read_file` in the 2\. content block is missing a `thought_signature`/s,
        ),
        provider_name: "Google",
      },
    });
  });

  it("takes them from a model that does not check (another vendor's behind OpenRouter)", async () => {
    const { message, send } = await firstTurn("openai/gpt-oss-120b");
    expect(message["reasoning_details"]).toBeUndefined();
    expect(await send(message)).toBe("accepted");
  });
});
