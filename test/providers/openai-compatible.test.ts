// What only OpenAI-compatible servers need: a JSON-mode fallback for servers without json_schema.
import nock from "nock";
import { describe, expect, it } from "vitest";
import { OpenAICompatibleModel } from "../../src/providers/openai/openai-model.ts";
import { strictHttp } from "../fakes/http.ts";
import { chatCompletionOf } from "../fakes/wire/openai.ts";

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
