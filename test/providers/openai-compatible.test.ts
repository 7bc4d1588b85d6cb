// What only OpenAI-compatible servers need: a JSON-mode fallback for servers without json_schema.
import nock from "nock";
import { describe, expect, it } from "vitest";
import { OpenAICompatibleModel } from "../../src/providers/openai/openai-model.ts";
import { strictHttp } from "../fakes/http.ts";
import { chatCompletionOf, responseOf as responsesOf } from "../fakes/wire/openai.ts";
import { openaiSetup } from "../../src/providers/openai/setup.ts";

const USAGE = { uncached: 50, cacheRead: 0, cacheWrite: 0, output: 10, reasoning: 0 };

describe("an OpenAI-compatible server without json_schema output", () => {
  strictHttp();

  it("is asked once with json_schema, then in JSON mode with the schema in the instructions, and remembers", async () => {
    const sent: Record<string, unknown>[] = [];
    const api = nock("http://localhost:8000");
    api
      .post("/v1/chat/completions", (b: Record<string, unknown>) => sent.push(b) > 0)
      .reply(400, {
        error: {
          message: "response_format of type json_schema is not supported by this model",
          type: "BadRequestError",
          param: null,
          code: 400,
        },
      });
    for (let i = 0; i < 2; i++)
      api
        .post("/v1/chat/completions", (b: Record<string, unknown>) => sent.push(b) > 0)
        .reply(
          200,
          chatCompletionOf({ object: { status: "approved" }, stop: "end", usage: USAGE }, "m"),
        );
    const model = new OpenAICompatibleModel({
      provider: "vllm",
      baseURL: "http://localhost:8000/v1",
      api: "chat",
    });
    const request = {
      model: "qwen3-coder",
      system: "Review.",
      messages: [{ role: "user" as const, content: [{ type: "text" as const, text: "plan" }] }],
      schema: {
        name: "plan_review",
        jsonSchema: {
          type: "object",
          properties: { status: { type: "string" } },
          required: ["status"],
        },
      },
      maxOutputTokens: 100,
      tag: { task: "T", role: "plan_reviewer", step: null, attempt: 1, turn: 0 },
    };
    expect((await model.generate(request)).object).toEqual({ status: "approved" });
    expect((await model.generate(request)).object).toEqual({ status: "approved" });
    expect(sent.map((b) => (b["response_format"] as { type: string }).type)).toEqual([
      "json_schema",
      "json_object",
      "json_object",
    ]);
    expect(JSON.stringify(sent[1])).toContain('\\"required\\":[\\"status\\"]');
  });
});

describe("OpenAI's API behind another base URL (Azure OpenAI's v1 API, a proxy)", () => {
  strictHttp();

  it("sends to OPENAI_BASE_URL with the headers in OPENAI_HEADERS, whose values are secrets", async () => {
    const made = openaiSetup.create({
      OPENAI_API_KEY: "azure-key-0123456789",
      OPENAI_BASE_URL: "https://myres.openai.azure.com/openai/v1",
      OPENAI_HEADERS: JSON.stringify({ "api-key": "azure-key-0123456789" }),
    });
    let header: string | null = null;
    nock("https://myres.openai.azure.com")
      .post("/openai/v1/responses")
      .reply((request: Request) => {
        header = request.headers.get("api-key");
        return [
          200,
          responsesOf(
            {
              text: "ok",
              stop: "end",
              usage: { uncached: 5, cacheRead: 0, cacheWrite: 0, output: 1, reasoning: 0 },
            },
            { model: "gpt-6.1-terra", input: [] },
          ),
        ];
      });
    const answer = await made!.client.generate({
      model: "gpt-6.1-terra",
      system: "s",
      messages: [{ role: "user", content: [{ type: "text", text: "x" }] }],
      maxOutputTokens: 5,
      tag: { task: "T", role: "planner", step: null, attempt: 1, turn: 0 },
    });
    expect(answer.text).toBe("ok");
    expect(header).toBe("azure-key-0123456789");
    expect(made!.secrets).toContain("azure-key-0123456789");
    expect(() => openaiSetup.create({ OPENAI_API_KEY: "k", OPENAI_HEADERS: "api-key: x" })).toThrow(
      /OPENAI_HEADERS must be a JSON object/,
    );
  });
});
