// The prompt layout that lets each provider's cache hit: stable parts first, byte-stable across
// the steps of a task, with Anthropic's breakpoints and OpenAI's prompt_cache_key.
import { describe, expect, it } from "vitest";
import { parsePromptTemplate } from "../../src/core/prompt/template.ts";
import { renderPrompt } from "../../src/core/prompt/render.ts";
import type { ModelRequest } from "../../src/ports/language-model.ts";
import { toMessageParams } from "../../src/providers/anthropic/map-request.ts";
import { toResponseParams } from "../../src/providers/openai/responses.ts";

const TEMPLATE = parsePromptTemplate(
  `---
id: t
version: 1
inputs: { goal: untrusted, context: source, step: untrusted }
---
Rules.
<<<user>>>
Goal:
{{goal}}

Context:
{{context}}
<<<step>>>
Step:
{{step}}
`,
  "t.md",
);

function request(step: string, turns = 0): ModelRequest {
  const prompt = renderPrompt(TEMPLATE, { goal: "Add truncate", context: "x".repeat(5000), step });
  const messages: ModelRequest["messages"][number][] = [
    { role: "user", content: prompt.userParts.map((text) => ({ type: "text", text })) },
  ];
  for (let t = 0; t < turns; t++)
    messages.push(
      {
        role: "assistant",
        content: [{ type: "tool_call", id: `c${t}`, name: "read_file", input: { path: "a" } }],
      },
      {
        role: "user",
        content: [{ type: "tool_result", toolCallId: `c${t}`, content: "text", isError: false }],
      },
    );
  return {
    model: "m",
    system: prompt.system,
    messages,
    maxOutputTokens: 100,
    cacheHint: true,
    tag: { task: "T1", role: "implementer", step, attempt: 1, turn: turns },
  };
}

describe("prompt caching layout", () => {
  it("splits the user message where the template says, so every step shares the first part", () => {
    const s1 = request("S1").messages[0]!.content;
    const s2 = request("S2").messages[0]!.content;
    expect(s1).toHaveLength(2);
    expect(s1[0]).toEqual(s2[0]);
    expect(s1[1]).not.toEqual(s2[1]);
    expect(() =>
      parsePromptTemplate(
        "---\nid: t\nversion: 1\ninputs: {}\n---\ns\n<<<user>>>\na\n<<<step>>>\nb\n<<<step>>>\nc",
        "t.md",
      ),
    ).toThrow(/at most one <<<step>>>/);
  });

  it("Anthropic: breakpoints after the system prompt, after the shared part, and after the last turn (four at most)", () => {
    const body = toMessageParams(request("S2", 2));
    const marked = JSON.stringify(body).match(/"cache_control"/g) ?? [];
    expect(marked).toHaveLength(3);
    expect(body.system).toEqual([
      expect.objectContaining({ cache_control: { type: "ephemeral" } }),
    ]);
    const first = body.messages[0]!.content as { cache_control?: unknown }[];
    expect(first[0]?.cache_control).toEqual({ type: "ephemeral" });
    expect(first[1]?.cache_control).toBeUndefined();
    const last = body.messages.at(-1)!.content as { type: string; cache_control?: unknown }[];
    expect(last.at(-1)).toMatchObject({
      type: "tool_result",
      cache_control: { type: "ephemeral" },
    });
  });

  it("OpenAI: one prompt_cache_key per task and role, and the shared part first", () => {
    const a = toResponseParams(request("S1"), { provider: "openai", promptCacheKey: true });
    const b = toResponseParams(request("S2"), { provider: "openai", promptCacheKey: true });
    expect(a.prompt_cache_key).toBe("orchestrator:T1:implementer");
    expect(b.prompt_cache_key).toBe(a.prompt_cache_key);
    const text = (p: typeof a) => JSON.stringify(p.input);
    const [x, y] = [text(a), text(b)];
    let shared = 0;
    while (shared < x.length && x[shared] === y[shared]) shared++;
    expect(shared).toBeGreaterThan(5000);
  });
});
