/**
 * Prompt caching on each provider: a 10-step task (three implementer turns per step) over a
 * 60k-token repository prefix, sent through each provider's real SDK to an intercepted API that
 * caches the way that provider documents it:
 *
 * - Anthropic: a prefix is cached at each `cache_control` breakpoint; a later request reads the
 *   longest of its breakpoint prefixes that an earlier request wrote (writes cost 1.25×).
 * - OpenAI: the longest prefix shared with an earlier request of the same `prompt_cache_key`,
 *   from 1,024 tokens, in 128-token steps.
 * - Gemini (implicit caching): the longest prefix shared with an earlier request, from 1,024 tokens.
 *
 * Usage comes back in each API's own format, the adapters normalise it, and the registry's prices
 * bill it; the baseline bills the same tokens with no cache. Ends with one JSON line.
 */
import { countTokens } from "gpt-tokenizer";
import nock from "nock";
import { loadPrompts, PROMPTS_DIR } from "../src/adapters/local/prompt-files.ts";
import { modelRegistry } from "../src/config/models.ts";
import { costOf } from "../src/core/cost/prices.ts";
import type { Usage } from "../src/core/cost/usage.ts";
import { renderPrompt } from "../src/core/prompt/render.ts";
import type { Message, ModelRequest } from "../src/ports/language-model.ts";
import { anthropicWire } from "../test/fakes/wire/anthropic.ts";
import { geminiWire } from "../test/fakes/wire/gemini.ts";
import { openaiResponsesWire } from "../test/fakes/wire/openai.ts";
import type { CanonicalUsage, Wire } from "../test/fakes/wire/types.ts";
import { must } from "./lib/caller.ts";

const STEPS = 10;
const TURNS = 3;
const PREFIX_TOKENS = 60_000;

type Body = Record<string, unknown>;
interface Segment {
  readonly text: string;
  readonly breakpoint: boolean;
}

/** The repository context: plausible source text, about 60k tokens. */
function repositoryPrefix(): string {
  const lines: string[] = [];
  for (let i = 0; countTokens(lines.join("\n")) < PREFIX_TOKENS; i += 50)
    for (let j = i; j < i + 50; j++)
      lines.push(
        `--- src/module${j}.js ---\n/** Helper ${j}: formats a value for the report. */\nexport function helper${j}(value, options = {}) {\n  const width = options.width ?? ${j % 80};\n  return String(value).padStart(width, " ");\n}\n`,
      );
  return lines.join("\n");
}

const str = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v ?? ""));

/** A sent body as the ordered text the provider's cache sees, with Anthropic's breakpoints. */
const SEGMENTS: Record<string, (body: Body) => Segment[]> = {
  anthropic: (body) => {
    const blocks = [
      ...((body["system"] as Body[] | undefined) ?? []),
      ...(body["messages"] as { content: Body[] }[]).flatMap((m) => m.content),
    ];
    return blocks.map((b) => ({
      text: str(b["text"] ?? b["content"] ?? b["input"]),
      breakpoint: b["cache_control"] !== undefined,
    }));
  },
  openai: (body) => [
    { text: str(body["instructions"]), breakpoint: false },
    ...(body["input"] as Body[]).flatMap((item) =>
      Array.isArray(item["content"])
        ? (item["content"] as Body[]).map((c) => ({ text: str(c["text"]), breakpoint: false }))
        : [{ text: str(item["arguments"] ?? item["output"]), breakpoint: false }],
    ),
  ],
  google: (body) => {
    const config = (body["systemInstruction"] ?? {}) as { parts?: Body[] };
    const contents = body["contents"] as { parts: Body[] }[];
    return [...(config.parts ?? []), ...contents.flatMap((c) => c.parts)].map((p) => ({
      text: str(p["text"] ?? p["functionCall"] ?? p["functionResponse"]),
      breakpoint: false,
    }));
  },
};

const tokenMemo = new Map<string, number>();
function tokens(text: string): number {
  let n = tokenMemo.get(text);
  if (n === undefined) {
    n = countTokens(text);
    tokenMemo.set(text, n);
  }
  return n;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** One provider's cache, as its documentation describes it. */
function providerCache(provider: string, caching: boolean) {
  const seen: string[] = [];
  const written = new Set<string>();
  return (segments: Segment[]): CanonicalUsage => {
    const text = segments.map((s) => s.text).join("\n");
    const total = tokens(text);
    let read = 0;
    let write = 0;
    if (caching && provider === "anthropic") {
      let end = "";
      const prefixes: string[] = [];
      for (const s of segments) {
        end += `${s.text}\n`;
        if (s.breakpoint) prefixes.push(end);
      }
      const hit = prefixes.filter((p) => written.has(p)).at(-1);
      read = hit ? tokens(hit) : 0;
      const longest = prefixes.at(-1);
      if (longest && !written.has(longest)) write = tokens(longest) - read;
      for (const p of prefixes) written.add(p);
    } else if (caching) {
      const shared = Math.max(0, ...seen.map((s) => commonPrefix(s, text)));
      const n = shared > 0 ? tokens(text.slice(0, shared)) : 0;
      read = n < 1024 ? 0 : provider === "openai" ? n - (n % 128) : n;
    }
    seen.push(text);
    return {
      uncached: total - read - write,
      cacheRead: read,
      cacheWrite: write,
      output: 400,
      reasoning: 0,
    };
  };
}

async function runTask(wire: Wire, caching: boolean, prefix: string, split = true) {
  const prompts = await loadPrompts(PROMPTS_DIR);
  const plan = Array.from({ length: STEPS }, (_, i) => `S${i + 1}: change module${i}`).join("\n");
  const cache = providerCache(wire.provider, caching);
  const usages: CanonicalUsage[] = [];
  const stop = wire.serve((body) => {
    const usage = cache(must(SEGMENTS[wire.provider], "segments")(body));
    usages.push(usage);
    const turn = (JSON.stringify(body).match(/call_t\d/g) ?? []).length / 2;
    return turn < TURNS - 1
      ? {
          toolCalls: [
            { id: `call_t${turn}`, name: "read_file", input: { path: `src/module${turn}.js` } },
          ],
          stop: "tool_use",
          usage,
        }
      : { text: "Done.", stop: "end", usage };
  });
  const client = wire.client();
  const billed: Usage[] = [];
  try {
    for (let step = 1; step <= STEPS; step++) {
      const prompt = renderPrompt(prompts.implementer, {
        goal: "Make every helper accept a locale.",
        risk: "medium",
        area: "core",
        complexity: "medium",
        constraints: "- No new dependencies",
        plan,
        context: prefix,
        step: `S${step}: change module${step - 1}`,
        feedback: "(none: first attempt)",
      });
      const messages: Message[] = [
        {
          role: "user",
          content: (split ? prompt.userParts : [prompt.user]).map((text) => ({
            type: "text",
            text,
          })),
        },
      ];
      for (let turn = 0; turn < TURNS; turn++) {
        const request: ModelRequest = {
          model: wire.model,
          system: prompt.system,
          messages,
          maxOutputTokens: 4096,
          cacheHint: true,
          tag: { task: "T1", role: "implementer", step: `S${step}`, attempt: 1, turn },
        };
        const response = await client.generate(request);
        billed.push(response.usage);
        const call = response.content.find((p) => p.type === "tool_call");
        if (call?.type !== "tool_call") break;
        messages.push(
          { role: "assistant", content: response.content },
          {
            role: "user",
            content: [
              {
                type: "tool_result",
                toolCallId: call.id,
                content: "export const x = 1;",
                isError: false,
              },
            ],
          },
        );
      }
    }
  } finally {
    stop();
  }
  return billed;
}

async function main(): Promise<void> {
  nock.disableNetConnect();
  const registry = modelRegistry();
  const prefix = repositoryPrefix();
  const prefixTokens = tokens(prefix);
  const results: Record<string, unknown> = {};
  console.log(
    `cost of ${STEPS} steps × ${TURNS} turns over a ${prefixTokens}-token repository prefix\n`,
  );
  for (const [wire, model] of [
    [anthropicWire({ model: "claude-sonnet-5-5" }), "anthropic/claude-sonnet-5-5"],
    [geminiWire({ model: "gemini-3.5-flash" }), "google/gemini-3.5-flash"],
    [openaiResponsesWire({ model: "gpt-6.1-terra" }), "openai/gpt-6.1-terra"],
  ] as const) {
    const price = must(registry.models.get(model), model).price;
    const inputCost = (u: Usage) => costOf({ ...u, output: 0 }, price, "2026-11-23");
    const cached = await runTask(wire, true, prefix);
    const plain = await runTask(wire, false, prefix);
    const withCache = cached.reduce((s, u) => s + inputCost(u), 0);
    const without = plain.reduce((s, u) => s + inputCost(u), 0);
    const shareOf = (usages: Usage[]) =>
      usages.reduce((s, u) => s + u.input.cacheRead, 0) / (prefixTokens * usages.length);
    const share = shareOf(cached);
    // The layout before the shared part had its own block: one user block per step.
    const oneBlock = shareOf(await runTask(wire, true, prefix, false));
    results[wire.provider] = {
      model,
      calls: cached.length,
      inputUsdCached: Number(withCache.toFixed(4)),
      inputUsdUncached: Number(without.toFixed(4)),
      ratio: Number((withCache / without).toFixed(3)),
      cachedShareOfPrefix: Number(share.toFixed(3)),
      cachedShareOneBlockLayout: Number(oneBlock.toFixed(3)),
    };
    console.log(
      `${model.padEnd(30)} input $${withCache.toFixed(4)} cached vs $${without.toFixed(4)} uncached (×${(withCache / without).toFixed(3)}); ${(share * 100).toFixed(1)}% of prefix tokens read from cache (${(oneBlock * 100).toFixed(1)}% with the task's context and step in one block)`,
    );
  }
  nock.enableNetConnect();
  const goal = Object.values(results).every(
    (r) => (r as { cachedShareOfPrefix: number }).cachedShareOfPrefix >= 0.8,
  );
  console.log(
    `\ngoal ≥ 80% of prefix tokens cached on every provider: ${goal ? "met" : "NOT met"}`,
  );
  console.log(
    JSON.stringify({
      bench: "cost",
      prefixTokens,
      steps: STEPS,
      turns: TURNS,
      goalMet: goal,
      providers: results,
    }),
  );
}

await main();
