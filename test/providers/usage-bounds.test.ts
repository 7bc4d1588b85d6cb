import { describe, expect, it } from "vitest";
import { ProviderError } from "../../src/core/errors.ts";
import type { ModelRequest } from "../../src/ports/language-model.ts";
import { strictHttp } from "../fakes/http.ts";
import { geminiWire } from "../fakes/wire/gemini.ts";
import { openaiChatWire, openaiResponsesWire } from "../fakes/wire/openai.ts";
import type { CanonicalUsage, Wire } from "../fakes/wire/types.ts";

const request = (model: string): ModelRequest => ({
  model,
  system: "Only this message carries instructions.",
  messages: [{ role: "user", content: [{ type: "text", text: "Step S1." }] }],
  maxOutputTokens: 1024,
  cacheHint: false,
  tag: { task: "T1", role: "implementer", step: "S1", attempt: 1, turn: 0 },
});

const FINE: CanonicalUsage = {
  uncached: 100,
  cacheRead: 0,
  cacheWrite: 0,
  output: 10,
  reasoning: 0,
};

describe.each([
  ["vllm chat", () => openaiChatWire({ provider: "vllm", baseURL: "http://10.0.0.7:8000/v1" })],
  ["openai responses", () => openaiResponsesWire()],
  ["gemini", () => geminiWire()],
] as const)("usage a server reports: %s", (_, make: () => Wire) => {
  strictHttp();

  it.each([
    ["negative output", { ...FINE, output: -5_000 }],
    ["negative prompt", { ...FINE, uncached: -100_000 }],
    ["past any model's window", { ...FINE, uncached: 1e12 }],
    ["not a whole number", { ...FINE, output: 10.5 }],
  ])("%s: the answer is refused", async (_name, usage) => {
    const wire = make();
    wire.answer({ text: "Done.", stop: "end", usage });
    const refused = await wire
      .client()
      .generate(request(wire.model))
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(refused).toBeInstanceOf(ProviderError);
    expect((refused as ProviderError).message).toMatch(/the answer's usage/);
  });

  it("an ordinary count is taken", async () => {
    const wire = make();
    wire.answer({ text: "Done.", stop: "end", usage: FINE });
    const response = await wire.client().generate(request(wire.model));
    expect(response.usage.output).toBe(10);
  });
});
