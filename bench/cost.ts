/**
 * Prompt caching on each provider: a 10-step task (three implementer turns per step) with about
 * as much repository context as the engine sends, run through the engine's own parts (its
 * implementer prompt, call site, model caller and tool loop, so the bench follows them as they
 * change) and each provider's real SDK, against an intercepted API that caches the way that
 * provider documents it:
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
import { engineSettings } from "../src/config/engine-settings.ts";
import { modelRegistry } from "../src/config/models.ts";
import { RepoConfig } from "../src/config/schema.ts";
import { costOf } from "../src/core/cost/prices.ts";
import type { Usage } from "../src/core/cost/usage.ts";
import type { CallRecord } from "../src/core/cost/ledger.ts";
import { implementerLoop } from "../src/engine/agents/implementer-loop.ts";
import { callSite } from "../src/engine/effects/call-site.ts";
import { implementerPrompt } from "../src/engine/effects/implement.ts";
import { silentLogger } from "../test/fakes/harness.ts";
import {
  AT,
  codeReview,
  implemented,
  newDoc,
  planReview,
  ROUTING,
  settle,
  step,
  succeed,
} from "../test/fakes/machine.ts";
import { anthropicWire } from "../test/fakes/wire/anthropic.ts";
import { geminiWire } from "../test/fakes/wire/gemini.ts";
import { openaiResponsesWire } from "../test/fakes/wire/openai.ts";
import type { CanonicalUsage, Wire } from "../test/fakes/wire/types.ts";
import { benchCaller, must, seeded } from "./lib/caller.ts";
import { MemoryTree } from "./lib/memory-tree.ts";

const STEPS = 10;
const TURNS = 3;
/** Repository context: what the engine sends at most (its per-prompt cap), less a margin. */
const PREFIX_TOKENS = 15_000;

/**
 * The maintainers' instruction files: a root AGENTS.md (in every prompt's cached part) and a
 * nested one and a path-specific file that only some steps' files fall under (their step part).
 */
const INSTRUCTIONS: Record<string, string> = {
  "AGENTS.md": Array.from(
    { length: 40 },
    (_, i) =>
      `- Rule ${i}: keep modules small, name exports after what they return, test each one.`,
  ).join("\n"),
  "src/AGENTS.md": "Modules in src/ export named functions only.\n",
  ".github/instructions/module1.instructions.md":
    '---\napplyTo: "src/module1.js"\n---\nmodule1 keeps its old signature working.\n',
};

type Body = Record<string, unknown>;
interface Segment {
  readonly text: string;
  readonly breakpoint: boolean;
}

/**
 * The repository context: plausible source files, each under the engine's per-file bound,
 * about PREFIX_TOKENS tokens in all.
 */
function repositoryFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  let total = 0;
  for (let part = 0; total < PREFIX_TOKENS; part++) {
    const lines: string[] = [];
    for (let j = part * 50; j < part * 50 + 50; j++)
      lines.push(
        `/** Helper ${j}: formats a value for the report. */\nexport function helper${j}(value, options = {}) {\n  const width = options.width ?? ${j % 80};\n  return String(value).padStart(width, " ");\n}\n`,
      );
    const text = lines.join("\n");
    files[`src/lib/part${part}.js`] = text;
    total += countTokens(text);
  }
  return files;
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

/** Model turns a sent body already holds: the tool calls answered so far in this step. */
const ANSWERED: Record<string, (body: Body) => number> = {
  anthropic: (body) =>
    (body["messages"] as { role: string }[]).filter((m) => m.role === "assistant").length,
  openai: (body) => (body["input"] as Body[]).filter((i) => i["type"] === "function_call").length,
  google: (body) =>
    (body["contents"] as { role?: string }[]).filter((c) => c.role === "model").length,
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

/** A task of STEPS steps, planned and approved, whose context files are `context`. */
function plannedTask(context: Record<string, string>, modelRef: string) {
  const doc = newDoc();
  const definition = { ...doc.definition, context_files: Object.keys(context) };
  const routing = Object.fromEntries(
    Object.entries(ROUTING).map(([role, decision]) => [
      role,
      role === "implementer" ? { ...decision, model: modelRef } : decision,
    ]),
  ) as typeof ROUTING;
  let task = settle(
    step({ ...doc, definition }, { type: "start", at: AT, routing, baseCommit: "base000" }),
  );
  const plan = {
    summary: `${STEPS} steps`,
    steps: Array.from({ length: STEPS }, (_, i) => ({
      id: `S${i + 1}`,
      type: "implementation" as const,
      description: `Change module${i} to accept a locale`,
      risk: "medium" as const,
      complexity: "small" as const,
      files: [`src/module${i}.js`],
      tests_required: false,
    })),
  };
  task = succeed(task, { kind: "plan", plan, calls: [] });
  task = succeed(task, { kind: "plan_review", review: planReview("approved"), calls: [] });
  const modules = Object.fromEntries(
    Array.from({ length: TURNS }, (_, i) => [`src/module${i}.js`, `export const x${i} = 1;\n`]),
  );
  return { task, tree: new MemoryTree({ ...context, ...modules, ...INSTRUCTIONS }) };
}

/**
 * Runs every step's implementer through the engine's own parts (its prompt, call site, model
 * caller and tool loop) against the wire; `split: false` sends the user prompt as one block,
 * the layout before the task's shared part had its own.
 */
async function runTask(
  wire: Wire,
  caching: boolean,
  context: Record<string, string>,
  modelRef: string,
  split = true,
) {
  const prompts = await loadPrompts(PROMPTS_DIR);
  const cache = providerCache(wire.provider, caching);
  const stop = wire.serve((body) => {
    const usage = cache(must(SEGMENTS[wire.provider], "segments")(body));
    const turn = must(ANSWERED[wire.provider], "turns")(body);
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
  const { caller } = benchCaller({ client, random: seeded(1) });
  const registry = modelRegistry();
  const ctx = {
    prompts,
    registry,
    settings: engineSettings(RepoConfig.parse({}), {
      owner: "bench",
      ownerAlive: () => true,
      leaseMs: 60_000,
    }),
    records: () => Promise.resolve({ tasks: [], calls: [] }),
  };
  const billed: Usage[] = [];
  const planned = plannedTask(context, modelRef);
  const tree = planned.tree;
  let task = planned.task;
  try {
    for (let n = 0; n < STEPS; n++) {
      const effect = must(task.outbox[0], "implement effect");
      if (effect.kind !== "implement_step") throw new Error(`expected a step, got ${effect.kind}`);
      const stepRecord = must(task.steps[effect.step], "step");
      const rendered = await implementerPrompt(ctx, tree, task, stepRecord, effect);
      const prompt = split ? rendered : { ...rendered, userParts: [rendered.user] };
      const site = callSite(task, {
        effectKey: effect.key,
        role: effect.role,
        step: stepRecord.id,
        attempt: stepRecord.attempt,
        prompt: prompt.prompt,
      });
      const calls: CallRecord[] = [];
      await implementerLoop(caller.at(site), {
        role: effect.role,
        prompt,
        tree,
        maxToolTurns: TURNS + 1,
        maxOutputTokens: 4096,
        protectedPaths: [],
        calls,
        logger: silentLogger,
      });
      billed.push(...calls.map((c) => c.usage));
      task = succeed(task, implemented(`c${n}`));
      task = succeed(task, { kind: "code_review", review: codeReview("approved"), calls: [] });
    }
  } finally {
    stop();
  }
  return billed;
}

async function main(): Promise<void> {
  nock.disableNetConnect();
  const registry = modelRegistry();
  const context = repositoryFiles();
  const prefixTokens = Object.values(context).reduce((n, text) => n + tokens(text), 0);
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
    const cached = await runTask(wire, true, context, model);
    const plain = await runTask(wire, false, context, model);
    const withCache = cached.reduce((s, u) => s + inputCost(u), 0);
    const without = plain.reduce((s, u) => s + inputCost(u), 0);
    // Of every input token sent, the share read from the provider's cache.
    const shareOf = (usages: Usage[]) =>
      usages.reduce((s, u) => s + u.input.cacheRead, 0) /
      usages.reduce((s, u) => s + u.input.noCache + u.input.cacheRead + u.input.cacheWrite, 0);
    const share = shareOf(cached);
    // The layout before the shared part had its own block: one user block per step.
    const oneBlock = shareOf(await runTask(wire, true, context, model, false));
    results[wire.provider] = {
      model,
      calls: cached.length,
      inputUsdCached: Number(withCache.toFixed(4)),
      inputUsdUncached: Number(without.toFixed(4)),
      ratio: Number((withCache / without).toFixed(3)),
      cachedShareOfInput: Number(share.toFixed(3)),
      cachedShareOneBlockLayout: Number(oneBlock.toFixed(3)),
    };
    console.log(
      `${model.padEnd(30)} input $${withCache.toFixed(4)} cached vs $${without.toFixed(4)} uncached (×${(withCache / without).toFixed(3)}); ${(share * 100).toFixed(1)}% of input tokens read from cache (${(oneBlock * 100).toFixed(1)}% with the task's context and step in one block)`,
    );
  }
  nock.enableNetConnect();
  const goal = Object.values(results).every(
    (r) => (r as { cachedShareOfInput: number }).cachedShareOfInput >= 0.8,
  );
  console.log(
    `\ngoal ≥ 80% of input tokens read from cache on every provider: ${goal ? "met" : "NOT met"}`,
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
