// A crash in the middle of a tool loop: the resumed engine answers the paid turns from the
// journal and sends the next turn with the same bytes, the model's thinking blocks included,
// to a Messages API stand-in that refuses a changed or missing block (test/fakes/wire/).
import { rm } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { createLocalHost } from "../../src/cli/local-host.ts";
import { createSampleRepo } from "../../src/cli/sample-repo.ts";
import type { EngineDeps } from "../../src/engine/deps.ts";
import { createEngine } from "../../src/engine/engine.ts";
import type { CallTag, LanguageModel } from "../../src/ports/language-model.ts";
import { entryKey } from "../../src/providers/replay/cassette.ts";
import { crashingDeps, SimulatedCrash } from "../fakes/crash.ts";
import { demoCassette, demoTask, fastGate, FIXED_NOW, silentLogger } from "../fakes/harness.ts";
import { strictHttp } from "../fakes/http.ts";
import { anthropicWire } from "../fakes/wire/anthropic.ts";

const repos: string[] = [];
afterAll(async () => {
  await Promise.all(repos.map((r) => rm(r, { recursive: true, force: true })));
});

/** What the implementer thinks, shown (summarized display): it must come back byte for byte. */
const THOUGHT = "The helper belongs in src/index.js; I read it before I edit it.";

/** The implementer's first turn of S1, journaled. */
const FIRST_TURN = /:implementing:S1:1:implement#0$/;

describe("a crash in the middle of a tool loop", () => {
  strictHttp();

  it("replays the journaled turn and sends the next one with the same reasoning bytes", async () => {
    const cassette = await demoCassette();
    const wire = anthropicWire();
    const sdk = wire.client();
    let current: CallTag | null = null;
    /** Request bodies by call, as the API received them. */
    let sent = new Map<string, string>();
    const client: LanguageModel = {
      provider: sdk.provider,
      generate: (request, options) => {
        current = request.tag;
        return sdk.generate(request, options);
      },
    };
    const stop = wire.serve((body) => {
      const tag = current;
      const entry = tag && cassette.calls.find((c) => entryKey(c) === entryKey(tag));
      if (!entry) throw new Error(`no demo answer for ${JSON.stringify(tag)}`);
      sent.set(entryKey(tag), JSON.stringify(body));
      return {
        ...(entry.text ? { text: entry.text } : {}),
        ...(entry.object !== undefined ? { object: entry.object } : {}),
        toolCalls: entry.tool_calls.map((c, i) => ({ id: `toolu_${entry.turn}_${i}`, ...c })),
        stop: entry.tool_calls.length > 0 ? "tool_use" : "end",
        usage: { uncached: 2000, cacheRead: 0, cacheWrite: 0, output: 200, reasoning: 120 },
        // Thinking text (signed): it comes back as the model wrote it, after a crash too.
        ...(tag.role === "implementer" ? { thinking: THOUGHT } : {}),
      };
    });
    const task = await demoTask();
    const host = async (repo: string) =>
      createLocalHost({
        workingDir: repo,
        clients: [client],
        clock: { now: () => FIXED_NOW },
        logger: silentLogger,
        sleep: () => Promise.resolve(),
        random: () => 0.5,
        owner: "test-worker",
        config: await fastGate(repo),
      });
    const repo = async () => {
      const dir = await createSampleRepo("crash-reasoning-");
      repos.push(dir);
      return dir;
    };
    /** The side effect after which the first turn's answer is in the journal. */
    const counting = (deps: EngineDeps, at: { n: number }, count: () => number): EngineDeps => ({
      ...deps,
      store: new Proxy(deps.store, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver) as unknown;
          if (prop !== "writeCall")
            return typeof value === "function"
              ? (value as (...args: unknown[]) => unknown).bind(target)
              : value;
          return async (o: Parameters<EngineDeps["store"]["writeCall"]>[0]) => {
            await target.writeCall(o);
            if (FIRST_TURN.test(o.key) && at.n === 0) at.n = count() + 1;
          };
        },
      }),
    });
    try {
      // Without a fault, counting the side effects up to the first turn's journal entry.
      const clean = await host(await repo());
      const at = { n: 0 };
      let counted = () => 0;
      const { deps, count } = crashingDeps(
        counting(clean.deps, at, () => counted()),
        Number.POSITIVE_INFINITY,
      );
      counted = count;
      const engine = createEngine(deps);
      await engine.start(task);
      const cleanDoc = await engine.run(task.id);
      expect(cleanDoc.state).toBe("done");
      const reference = sent;
      const secondTurn = "implementer|S1|1|1";
      expect(at.n).toBeGreaterThan(0);
      expect(
        wire.read.reasoning(
          JSON.parse(reference.get(secondTurn) ?? "{}") as Record<string, unknown>,
        ).length,
      ).toBeGreaterThanOrEqual(2);

      // The same run, dying right after that entry is written, then resumed by a new engine.
      sent = new Map();
      const dir = await repo();
      const first = await host(dir);
      const crashing = crashingDeps(first.deps, at.n);
      await expect(
        (async () => {
          const e = createEngine(crashing.deps);
          await e.start(task);
          await e.run(task.id);
        })(),
      ).rejects.toBeInstanceOf(SimulatedCrash);
      expect([...sent.keys()].at(-1)).toBe("implementer|S1|1|0");
      sent = new Map();
      const second = await host(dir);
      await second.engine.start(task);
      const resumed = await second.engine.run(task.id);
      expect(resumed.escalation).toBeNull();
      expect(resumed.state).toBe("done");
      expect(sent.has("implementer|S1|1|0")).toBe(false);
      expect(sent.get(secondTurn)).toBe(reference.get(secondTurn));
      expect(sent.get(secondTurn)).toContain(THOUGHT);
    } finally {
      stop();
    }
  });
});
