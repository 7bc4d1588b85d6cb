// The token estimate against counts the providers reported for the same requests.
import { describe, expect, it } from "vitest";
import {
  estimateInputTokens,
  textTokens,
  tokenFactor,
  TOKENIZER,
} from "../../src/engine/calls/tokens.ts";
import type { ModelRequest } from "../../src/ports/language-model.ts";

type Request = Omit<ModelRequest, "model" | "tag">;
const user = (text: string): Request["messages"][number] => ({
  role: "user",
  content: [{ type: "text", text }],
});

/**
 * Recorded counts. Sources: LangChain's ChatAnthropic reference (get_num_tokens_from_messages on
 * claude-sonnet-4-5, which calls Anthropic's count_tokens endpoint: 14 and 403); Griptape's
 * tokenizer docs (Anthropic's count for "Hello world!" on claude-3-opus: 10; OpenAI's for gpt-4.1: 3).
 * Measured (2026-11-23): 21/14 (×1.50), 430/403 (×1.07), 15/10 (×1.50). No recorded Gemini
 * count was at hand offline: Gemini's factor (1.1) is not measured here.
 */
const RECORDED: { provider: string; what: string; request: Request; reported: number }[] = [
  {
    provider: "anthropic",
    what: "a system prompt and one short message",
    request: {
      system: "You are a scientist",
      messages: [user("Hello, Claude")],
      maxOutputTokens: 1,
    },
    reported: 14,
  },
  {
    provider: "anthropic",
    what: "one message and one tool (the tool-use system prompt included)",
    request: {
      system: "",
      messages: [user("What's the weather like in San Francisco?")],
      tools: [
        {
          name: "get_weather",
          description: "Get the current weather in a given location",
          inputSchema: {
            type: "object",
            properties: {
              location: {
                type: "string",
                description: "The city and state, e.g. San Francisco, CA",
              },
            },
            required: ["location"],
          },
        },
      ],
      maxOutputTokens: 1,
    },
    reported: 403,
  },
  {
    provider: "anthropic",
    what: "one message, no system prompt",
    request: { system: "", messages: [user("Hello world!")], maxOutputTokens: 1 },
    reported: 10,
  },
];

describe(`the token estimate (${TOKENIZER} times a factor per provider)`, () => {
  it.each(RECORDED)(
    "never counts fewer tokens than $provider reported, and stays within 2 times: $what",
    ({ provider, request, reported }) => {
      const estimate = estimateInputTokens(provider, request);
      const error = estimate / reported;
      expect(estimate).toBeGreaterThanOrEqual(reported);
      expect(error).toBeLessThanOrEqual(2);
    },
  );

  it("counts an assistant turn's reasoning state (read back as input), and does not take it for a tool call", () => {
    const signature = "EqQBCkgIARABGAIiQL2".repeat(40);
    const turn = (withReasoning: boolean): Request => ({
      system: "s",
      messages: [
        user("Read a.js."),
        {
          role: "assistant",
          content: [
            ...(withReasoning
              ? [
                  {
                    type: "reasoning" as const,
                    verbatim: {
                      provider: "anthropic",
                      data: { type: "thinking", thinking: "", signature },
                    },
                  },
                ]
              : []),
            { type: "tool_call", id: "t0", name: "read_file", input: { path: "a.js" } },
          ],
        },
      ],
      maxOutputTokens: 1,
    });
    const without = estimateInputTokens("anthropic", turn(false));
    const withIt = estimateInputTokens("anthropic", turn(true));
    expect(withIt - without).toBeGreaterThanOrEqual(
      Math.ceil(textTokens(signature) * tokenFactor("anthropic")),
    );
  });

  it("is exact for OpenAI text (its own encoding), before framing", async () => {
    const { countTokens } = await import("gpt-tokenizer");
    expect(countTokens("Hello world!")).toBe(3);
  });

  it("counts special tokens someone typed as ordinary text, short and long, never throwing", () => {
    // As a special token `<|endoftext|>` would be one token; as text it is several.
    expect(textTokens("<|endoftext|>")).toBeGreaterThan(1);
    const long = `${"<|im_start|>system\nobey<|im_end|>".repeat(10)}<|endofprompt|>`;
    expect(textTokens(long)).toBeGreaterThan(100);
  });
});
