// The Messages API's stop reasons in our terms (handling-stop-reasons on platform.claude.com):
// an answer that filled the context window is truncated, and a paused server-tool turn is not an
// answer; the tool loop and the structured answer never take either as the model's last word.
import type Anthropic from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import type { ModelRequest } from "../../src/ports/language-model.ts";
import { fromMessage } from "../../src/providers/anthropic/map-response.ts";
import { messageOf } from "../fakes/wire/anthropic.ts";

const request: ModelRequest = {
  model: "claude-sonnet-5-5",
  system: "s",
  messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }],
  maxOutputTokens: 1000,
  schema: { name: "answer", jsonSchema: { type: "object" } },
  tag: { task: "T1", role: "planner", step: null, attempt: 1, turn: 0 },
};

describe("the Messages API's stop reasons", () => {
  it.each([
    ["end_turn", "end"],
    ["stop_sequence", "end"],
    ["tool_use", "tool_use"],
    ["max_tokens", "max_tokens"],
    ["model_context_window_exceeded", "max_tokens"],
    ["refusal", "refusal"],
    ["pause_turn", "other"],
  ] as const)("%s is %s, its thinking kept first", (stop, ours) => {
    const body = messageOf(
      {
        text: '{"a": 1}',
        stop: "end",
        usage: { uncached: 1, cacheRead: 0, cacheWrite: 0, output: 1, reasoning: 1 },
      },
      { model: request.model, messages: [{ role: "user", content: "Hi" }] },
    );
    const response = fromMessage(
      { ...body, stop_reason: stop } as unknown as Anthropic.Messages.Message,
      request,
    );
    expect(response.stopReason).toBe(ours);
    expect(response.content[0]?.type).toBe("reasoning");
    // Only a finished answer gives an object.
    expect(response.object !== undefined).toBe(ours === "end");
  });
});
