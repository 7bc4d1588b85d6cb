import { readFile } from "node:fs/promises";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { ProviderError } from "../../src/core/errors.ts";
import { withRetry } from "../../src/engine/retry.ts";
import type { ModelRequest } from "../../src/ports/language-model.ts";
import { AnthropicModel } from "../../src/providers/anthropic/anthropic-model.ts";
import { strictHttp } from "../fakes/http.ts";

const API = "https://api.anthropic.com";
const fixture = async (name: string): Promise<unknown> =>
  JSON.parse(
    await readFile(new URL(`../fixtures/anthropic/${name}.json`, import.meta.url), "utf8"),
  ) as unknown;
const model = (): AnthropicModel => new AnthropicModel({ apiKey: "sk-ant-test-key-000000000000" });
const TAG = { task: "T1", role: "plan_reviewer", step: null, attempt: 1, turn: 0 };

const structured: ModelRequest = {
  model: "claude-sonnet-4-5",
  system: "Only this message carries instructions.",
  messages: [{ role: "user", content: [{ type: "text", text: "review this plan" }] }],
  schema: {
    name: "plan_review",
    jsonSchema: {
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      properties: { status: { type: "string" } },
      required: ["status"],
    },
  },
  maxOutputTokens: 1024,
  cacheHint: true,
  tag: TAG,
};

const apiError = (type: string, message: string) => ({
  type: "error",
  error: { type, message },
  request_id: "req_011CSHoEeqs5C35K2UUqR7Fy",
});

describe("AnthropicModel over the Messages API", () => {
  strictHttp();

  it("asks for structured output with a forced tool and caches the stable prefix", async () => {
    let sent: Record<string, unknown> = {};
    let headers: Headers | undefined;
    const answer = await fixture("plan-tool-use");
    nock(API)
      .post("/v1/messages", (body: Record<string, unknown>) => {
        sent = body;
        return true;
      })
      .reply((request: Request) => {
        headers = request.headers;
        return [200, answer];
      });
    const response = await model().generate(structured);
    expect(headers?.get("authorization")).toBe("Bearer sk-ant-test-key-000000000000");
    expect(headers?.get("anthropic-version")).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(sent).toMatchObject({
      model: "claude-sonnet-4-5",
      max_tokens: 1024,
      system: [
        {
          type: "text",
          text: "Only this message carries instructions.",
          cache_control: { type: "ephemeral" },
        },
      ],
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "review this plan", cache_control: { type: "ephemeral" } },
          ],
        },
      ],
      tools: [{ name: "plan_review", input_schema: { type: "object", required: ["status"] } }],
      tool_choice: { type: "tool", name: "plan_review" },
    });
    expect((sent["tools"] as { input_schema: object }[])[0]?.input_schema).not.toHaveProperty(
      "$schema",
    );
    expect(response.object).toMatchObject({ status: "approved" });
    expect(response.stopReason).toBe("end");
    expect(response.usage).toEqual({
      input: { noCache: 412, cacheRead: 2048, cacheWrite: 1536 },
      output: 187,
    });
  });

  it("maps tool_use blocks and sends tool results back", async () => {
    let sent: { messages?: unknown[] } = {};
    nock(API)
      .post("/v1/messages", (body: typeof sent) => {
        sent = body;
        return true;
      })
      .reply(200, await fixture("implementer-tool-calls"));
    const response = await model().generate({
      model: "claude-sonnet-4-5",
      system: "s",
      messages: [
        { role: "user", content: [{ type: "text", text: "implement S1" }] },
        {
          role: "assistant",
          content: [{ type: "tool_call", id: "toolu_prev", name: "list_files", input: {} }],
        },
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              toolCallId: "toolu_prev",
              content: "src/index.js",
              isError: false,
            },
          ],
        },
      ],
      tools: [
        {
          name: "read_file",
          description: "read",
          inputSchema: { type: "object", properties: { path: { type: "string" } } },
        },
      ],
      maxOutputTokens: 2048,
      tag: { ...TAG, role: "implementer", turn: 1 },
    });
    expect(sent.messages?.[2]).toEqual({
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "toolu_prev", content: "src/index.js" }],
    });
    expect(response.stopReason).toBe("tool_use");
    expect(response.text).toBe("I'll read the module first.");
    expect(response.content[1]).toEqual({
      type: "tool_call",
      id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6",
      name: "read_file",
      input: { path: "src/index.js" },
    });
    expect(response.usage.input).toEqual({ noCache: 2095, cacheRead: 0, cacheWrite: 0 });
  });

  it("reports max_tokens as such, without an object", async () => {
    nock(API)
      .post("/v1/messages")
      .reply(200, await fixture("max-tokens"));
    const response = await model().generate(structured);
    expect(response.stopReason).toBe("max_tokens");
    expect(response.object).toBeUndefined();
  });

  it("429 with retry-after is retryable and carries the delay; our policy waits at least that long", async () => {
    nock(API)
      .post("/v1/messages")
      .reply(
        429,
        apiError(
          "rate_limit_error",
          "Number of request tokens has exceeded your per-minute rate limit",
        ),
        { "retry-after": "7" },
      );
    nock(API)
      .post("/v1/messages")
      .reply(200, await fixture("plan-tool-use"));
    const waits: number[] = [];
    const response = await withRetry(() => model().generate(structured), {
      attempts: 3,
      baseMs: 100,
      capMs: 60_000,
      random: () => 0.5,
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
    expect(waits).toEqual([7000]);
    expect(response.object).toMatchObject({ status: "approved" });
  });

  it("529 overloaded is retried with backoff, and given up after the last attempt", async () => {
    nock(API).post("/v1/messages").times(3).reply(529, apiError("overloaded_error", "Overloaded"));
    const waits: number[] = [];
    const error = await withRetry(() => model().generate(structured), {
      attempts: 3,
      baseMs: 1000,
      capMs: 30_000,
      random: () => 1,
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: "overloaded", retryable: true, status: 529 });
    expect(waits).toEqual([1000, 2000]);
  });

  it("401 is an auth error that is never retried", async () => {
    nock(API)
      .post("/v1/messages")
      .once()
      .reply(401, apiError("authentication_error", "invalid x-api-key"));
    const waits: number[] = [];
    const error = await withRetry(() => model().generate(structured), {
      attempts: 5,
      baseMs: 1,
      capMs: 1,
      random: () => 1,
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "ProviderError", kind: "auth", retryable: false });
    expect(waits).toEqual([]);
  });

  it("a spent credit balance is a quota error, not retried", async () => {
    nock(API)
      .post("/v1/messages")
      .reply(
        400,
        apiError(
          "invalid_request_error",
          "Your credit balance is too low to access the Anthropic API.",
        ),
      );
    await expect(model().generate(structured)).rejects.toMatchObject({
      kind: "quota",
      retryable: false,
    });
  });

  it("a connection failure is a retryable network error", async () => {
    const unreachable = new AnthropicModel({ apiKey: "k", baseURL: "https://unreachable.invalid" });
    await expect(unreachable.generate(structured)).rejects.toMatchObject({
      kind: "network",
      retryable: true,
    });
  });
});
