// A new user with one key: the demo task end to end with only that provider configured,
// every call through the provider's real SDK against its intercepted HTTP API.
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createLocalHost } from "../../src/cli/local-host.ts";
import { entryKey, type CassetteEntry } from "../../src/providers/replay/cassette.ts";
import type { CallTag, LanguageModel } from "../../src/ports/language-model.ts";
import { demoCassette, demoTask, fastGate, FIXED_NOW, silentLogger } from "../fakes/harness.ts";
import { createSampleRepo } from "../../src/cli/sample-repo.ts";
import { strictHttp } from "../fakes/http.ts";
import { anthropicWire } from "../fakes/wire/anthropic.ts";
import { geminiWire } from "../fakes/wire/gemini.ts";
import { openaiResponsesWire } from "../fakes/wire/openai.ts";
import type { CanonicalAnswer, Wire } from "../fakes/wire/types.ts";

/** The demo cassette's answer for a call, as the provider's API would send it. */
function answerOf(entry: CassetteEntry, wire: Wire): CanonicalAnswer {
  const usage = entry.usage ?? {
    input: 2000,
    output: 200,
    cache_read: 0,
    cache_write: 0,
    reasoning: 0,
  };
  return {
    text: entry.text,
    ...(entry.object !== undefined ? { object: entry.object } : {}),
    toolCalls: entry.tool_calls.map((c, i) => ({
      id: `call_${entry.turn}_${i}`,
      name: c.name,
      input: c.input,
    })),
    stop:
      entry.stop === "max_tokens" || entry.stop === "refusal"
        ? entry.stop
        : entry.tool_calls.length > 0
          ? "tool_use"
          : "end",
    usage: {
      uncached: usage.input,
      cacheRead: usage.cache_read,
      cacheWrite: wire.reportsCacheWrites ? usage.cache_write : 0,
      output: usage.output,
      reasoning: usage.reasoning,
    },
  };
}

const repos: string[] = [];
afterAll(async () => {
  await Promise.all(repos.map((r) => rm(r, { recursive: true, force: true })));
});

describe("the demo task with one provider configured", () => {
  strictHttp();

  it.each([
    ["Anthropic", () => anthropicWire()],
    ["Gemini", () => geminiWire()],
    ["OpenAI", () => openaiResponsesWire()],
  ])(
    "runs to done on %s alone, the reviewers being other models of it, and says so",
    async (_name, make) => {
      const wire = make();
      const cassette = await demoCassette();
      // The tag travels beside the HTTP request (calls are made one at a time), so the
      // intercepted API can answer what the cassette recorded for that call.
      let current: CallTag | null = null;
      const sdk = wire.client();
      const client: LanguageModel = {
        provider: sdk.provider,
        generate: (request, options) => {
          current = request.tag;
          return sdk.generate(request, options);
        },
      };
      // The stand-in enforces the API's multi-turn rules (test/fakes/wire/README.md): a turn
      // sent back without its reasoning, or changed, is refused as the API refuses it.
      const later: Record<string, unknown>[] = [];
      const stop = wire.serve((body) => {
        const tag = current;
        const entry = tag && cassette.calls.find((c) => entryKey(c) === entryKey(tag));
        if (!entry) throw new Error(`no demo answer for ${JSON.stringify(tag)}`);
        if (tag.turn > 0) later.push(body);
        return answerOf(entry, wire);
      });
      try {
        const repo = await createSampleRepo("one-provider-");
        repos.push(repo);
        const host = await createLocalHost({
          workingDir: repo,
          clients: [client],
          clock: { now: () => FIXED_NOW },
          logger: silentLogger,
          sleep: () => Promise.resolve(),
          random: () => 0.5,
          owner: "test-worker",
          config: await fastGate(repo),
        });
        const task = await demoTask();
        await host.engine.start(task);
        const doc = await host.engine.run(task.id);
        expect(doc.escalation).toBeNull();
        expect(doc.state).toBe("done");
        // Every later turn of a tool loop carried the model's reasoning back (OpenAI takes a
        // call without it, and the model goes on without its reasoning: nothing else tells).
        expect(later.length).toBeGreaterThan(0);
        for (const body of later) expect(wire.read.reasoning(body).length).toBeGreaterThan(0);

        const routing = doc.routing!;
        for (const decision of Object.values(routing))
          expect(decision.model.startsWith(`${wire.provider}/`)).toBe(true);
        expect(routing.plan_reviewer.model).not.toBe(routing.planner.model);
        expect(routing.code_reviewer.model).not.toBe(routing.implementer.model);
        expect(routing.plan_reviewer.sameProvider).toBe(true);
        expect(routing.plan_reviewer.rationale).toMatch(/No reviewer from another provider/);
        // Every answer came from the one provider, and each was priced from the registry.
        expect(new Set(doc.ledger.map((c) => c.model.split("/")[0]))).toEqual(
          new Set([wire.provider]),
        );
        expect(doc.ledger.every((c) => c.costUsd > 0)).toBe(true);

        const dir = join(repo, ".orchestrator", "comments", task.id);
        const files = await readdir(dir);
        const read = (f: string) => readFile(join(dir, f), "utf8");
        // One comment: the status holds the plan (folded), which says who reviewed it.
        expect(files.filter((f) => f.includes("-planning-"))).toEqual([]);
        const status = await read("STATUS.md");
        expect(status).toMatch(/a model of the same provider/);
        expect(status).toMatch(/reviewed by \S+, a model of the same provider/);
        expect(await read("PULL_REQUEST.md")).toContain(routing.code_reviewer.model);
      } finally {
        stop();
      }
    },
  );
});
