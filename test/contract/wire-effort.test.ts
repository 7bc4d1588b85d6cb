// Effort as each vendor takes it (issue 20 §2): every model of models.yaml that offers effort gets
// each of its levels through our adapter in the vendor's own field, and the strict doubles
// (test/fakes/wire/README.md, "Effort") refuse what the APIs refuse: a level off the scale, a
// level the model does not take, an effort on a model without one.
import { describe, expect, it } from "vitest";
import { ProviderError } from "../../src/core/errors.ts";
import type { Effort } from "../../src/core/vocabulary/effort.ts";
import { shippedModels } from "../../src/config/models.ts";
import type { ModelRequest } from "../../src/ports/language-model.ts";
import { strictHttp } from "../fakes/http.ts";
import { CLAUDE_MODELS } from "../fakes/wire/anthropic-models.ts";
import { anthropicWire } from "../fakes/wire/anthropic.ts";
import { geminiWire } from "../fakes/wire/gemini.ts";
import { EFFORTS } from "../fakes/wire/openai-rules.ts";
import { OLLAMA_THINKING, openaiChatWire, openaiResponsesWire } from "../fakes/wire/openai.ts";
import type { CanonicalAnswer, Wire } from "../fakes/wire/types.ts";

const DONE: CanonicalAnswer = {
  text: "Done.",
  stop: "end",
  usage: { uncached: 100, cacheRead: 0, cacheWrite: 0, output: 20, reasoning: 10 },
};
const TAG = { task: "T1", role: "planner", step: null, attempt: 1, turn: 0 };

function wireFor(ref: string): Wire {
  const [provider, ...rest] = ref.split("/");
  const model = rest.join("/");
  switch (provider) {
    case "anthropic":
      return anthropicWire({ model });
    case "openai":
      return openaiResponsesWire({ model });
    case "google":
      return geminiWire({ model });
    case "ollama":
      return openaiChatWire({ model });
    default:
      throw new Error(`no wire for ${ref}`);
  }
}

/** The vendor's effort field in a request body, as the adapter wrote it. */
function sentEffort(provider: string, body: Record<string, unknown>): unknown {
  const at = (o: unknown, key: string) => (o as Record<string, unknown> | undefined)?.[key];
  switch (provider) {
    case "anthropic":
      return at(body["output_config"], "effort");
    case "openai":
      return at(body["reasoning"], "effort");
    case "google": {
      const thinking = at(body["generationConfig"], "thinkingConfig");
      return at(thinking, "thinkingLevel") ?? at(thinking, "thinkingBudget");
    }
    default:
      return body["reasoning_effort"];
  }
}

async function send(ref: string, effort: Effort | undefined) {
  const wire = wireFor(ref);
  let body: Record<string, unknown> = {};
  wire.answer(DONE, (b) => (body = b));
  const request: ModelRequest = {
    model: wire.model,
    system: "Only this message carries instructions.",
    messages: [{ role: "user", content: [{ type: "text", text: "Plan it." }] }],
    maxOutputTokens: 4096,
    ...(effort ? { effort } : {}),
    tag: TAG,
  };
  try {
    await wire.client().generate(request);
    return { outcome: "accepted", sent: sentEffort(wire.provider, body), body };
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    return { outcome: error.message, sent: sentEffort(wire.provider, body), body };
  }
}

const table = shippedModels().models;
const offering = Object.entries(table).flatMap(([ref, entry]) =>
  entry.effort ? [{ ref, levels: entry.effort.levels }] : [],
);

describe("effort in the vendor's field, for every model of models.yaml that offers it", () => {
  strictHttp();

  it("offers effort on models of every provider with a reasoning lever", () => {
    expect(new Set(offering.map((o) => o.ref.split("/")[0]))).toEqual(
      new Set(["anthropic", "openai", "google", "ollama"]),
    );
  });

  it.each(offering)(
    "$ref: each level goes out in the vendor's field and is accepted",
    async ({ ref, levels }) => {
      for (const level of levels) {
        const { outcome, sent } = await send(ref, level);
        expect(outcome, `${ref} at ${level}`).toBe("accepted");
        expect(sent, `${ref} at ${level}`).toBeDefined();
      }
    },
  );

  it("writes each vendor's own spelling", async () => {
    expect((await send("anthropic/claude-sonnet-5-5", "xhigh")).sent).toBe("xhigh");
    expect((await send("openai/gpt-6.1-terra", "low")).sent).toBe("low");
    expect((await send("google/gemini-3.5-flash", "medium")).sent).toBe("MEDIUM");
    expect((await send("google/gemini-2.5-flash", "low")).sent).toBe(1024);
    expect((await send("ollama/gpt-oss:20b", "high")).sent).toBe("high");
  });

  it("sends no effort field when the request names none (the provider's default)", async () => {
    for (const ref of [
      "anthropic/claude-sonnet-5-5",
      "openai/gpt-6.1-terra",
      "google/gemini-3.5-flash",
    ]) {
      const { outcome, sent, body } = await send(ref, undefined);
      expect(outcome).toBe("accepted");
      expect(sent).toBeUndefined();
      expect(body).not.toHaveProperty("output_config");
    }
  });
});

describe("the doubles refuse an effort the API refuses", () => {
  strictHttp();

  it("Anthropic: a model without effort, a level the model does not take", async () => {
    expect((await send("anthropic/claude-sonnet-4-5", "low")).outcome).toMatch(
      /This model does not support the effort parameter\./,
    );
    expect((await send("anthropic/claude-opus-4-5", "max")).outcome).toMatch(
      /output_config\.effort: Input should be 'low', 'medium' or 'high'/,
    );
  });

  it("OpenAI: a level the model does not take, with the model's list", async () => {
    expect((await send("openai/gpt-6.1-terra", "max")).outcome).toMatch(
      /Unsupported value: 'reasoning\.effort' does not support 'max' with this model\. Supported values are: 'none', 'low', 'medium', 'high', and 'xhigh'\./,
    );
  });

  it("Gemini: a level beyond the enum on Gemini 3, a budget out of a 2.5 model's range", async () => {
    expect((await send("google/gemini-3.5-flash", "xhigh")).outcome).toMatch(
      /Invalid value at 'generation_config\.thinking_config\.thinking_level'.*"XHIGH"/,
    );
    expect((await send("google/gemini-2.5-flash", "max")).outcome).toMatch(
      /The thinking budget 32768 is invalid\. Please choose a value between 0 and 24576\./,
    );
  });

  it("Ollama: a model that does not think", async () => {
    expect((await send("ollama/qwen3-coder:30b", "low")).outcome).toMatch(
      /"qwen3-coder:30b" does not support thinking/,
    );
  });
});

describe("models.yaml offers only what the vendors' doubles take", () => {
  it("every Claude model: the same levels as the double, none where the API refuses effort", () => {
    for (const [ref, entry] of Object.entries(table).filter(([r]) => r.startsWith("anthropic/"))) {
      const claude = CLAUDE_MODELS[ref.slice("anthropic/".length)];
      expect(entry.effort?.levels ?? [], ref).toEqual([...(claude?.effort ?? [])]);
    }
  });

  it("OpenAI and Ollama models: levels the API takes for that model", () => {
    for (const [ref, entry] of Object.entries(table)) {
      const [provider, model] = [ref.slice(0, ref.indexOf("/")), ref.slice(ref.indexOf("/") + 1)];
      const takes =
        provider === "openai"
          ? EFFORTS[model]
          : provider === "ollama"
            ? OLLAMA_THINKING[model]
            : null;
      if (takes === null) continue;
      for (const level of entry.effort?.levels ?? []) expect(takes ?? [], ref).toContain(level);
    }
  });
});
