import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOXES } from "../../src/adapters/sandbox/registry.ts";
import { implementerLoop } from "../../src/engine/agents/implementer-loop.ts";
import { journaledCommands } from "../../src/engine/agents/commands.ts";
import type { BoundCall, CallRequest } from "../../src/engine/calls/model-caller.ts";
import type { AssistantPart, ModelResponse, StopReason } from "../../src/ports/language-model.ts";
import { DEFAULT_LIMITS, type Sandbox } from "../../src/ports/sandbox.ts";
import type { WorkTree } from "../../src/ports/workspace.ts";
import { silentLogger } from "../fakes/harness.ts";
import { MemoryStore } from "../fakes/memory-store.ts";
import { answer } from "../fakes/pending-call.ts";

const PROMPT = { prompt: "implementer@8", system: "s", user: "u", userParts: ["u"] };

function scripted(turns: { content: AssistantPart[]; stop: StopReason }[]) {
  const sent: CallRequest[] = [];
  const call: BoundCall = (turn, request) => {
    sent.push(request);
    const next = turns[turn];
    if (!next) throw new Error(`no turn ${turn}`);
    const base = answer();
    const response: ModelResponse = {
      ...base.response,
      text: next.content.flatMap((p) => (p.type === "text" ? [p.text] : [])).join(""),
      content: next.content,
      stopReason: next.stop,
    };
    return Promise.resolve({ ...base, response });
  };
  return { call, sent };
}

const tool = (id: string, name: string, input: unknown): AssistantPart => ({
  type: "tool_call",
  id,
  name,
  input,
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "run-tool-"));
  await writeFile(
    join(dir, "sum.test.js"),
    "const test = require('node:test'); const assert = require('node:assert');\ntest('sum', () => assert.strictEqual(1 + 1, 3));\n",
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The none backend counting its runs (the loop's journal is what is under test, not isolation). */
function counting(): Sandbox & { runs: number } {
  const inner = SANDBOXES.none();
  const sandbox = {
    backend: inner.backend,
    runs: 0,
    run: (options: Parameters<Sandbox["run"]>[0]) => {
      sandbox.runs += 1;
      return inner.run(options);
    },
  };
  return sandbox;
}

describe("the run and check tools", () => {
  const turns = [
    {
      content: [tool("t0", "run", { command: "node --test sum.test.js; echo $RANDOM$$" })],
      stop: "tool_use" as const,
    },
    { content: [tool("t1", "check", {})], stop: "tool_use" as const },
    { content: [{ type: "text" as const, text: "Done." }], stop: "end" as const },
  ];

  it("are absent without a sandbox", async () => {
    const { call, sent } = scripted([{ content: [{ type: "text", text: "Done." }], stop: "end" }]);
    await implementerLoop(call, { ...base(), calls: [] });
    expect((sent[0]?.tools ?? []).map((t) => t.name)).not.toContain("run");
  });

  it("run in the sandbox, show the failure, and replay from the journal without running again", async () => {
    const store = new MemoryStore();
    const sandbox = counting();
    const runner = journaledCommands({
      sandbox,
      store,
      directoryOf: () => dir,
      checks: [{ name: "test", run: "node --test" }],
      limits: { ...DEFAULT_LIMITS, timeoutMs: 30_000 },
    });
    const loop = async () => {
      const { call, sent } = scripted(turns);
      const tools: { summary: string; refused: boolean }[] = [];
      await implementerLoop(call, {
        ...base(),
        calls: [],
        tools,
        commands: {
          runner,
          run: runner.forEffect({ task: "t-1", effectKey: "t-1:implement:s1:1:implement_step" }),
        },
      });
      return { sent, tools };
    };
    const first = await loop();
    expect((first.sent[0]?.tools ?? []).map((t) => t.name)).toEqual(
      expect.arrayContaining(["run", "check"]),
    );
    const result = (request: CallRequest | undefined) =>
      JSON.stringify(request?.messages.at(-1)?.content);
    expect(result(first.sent[1])).toMatch(/exit code 0/);
    expect(result(first.sent[1])).toMatch(/sum/);
    expect(result(first.sent[2])).toMatch(/check test: exit code 1/);
    expect(result(first.sent[2])).toMatch(/failed: test; the gate still decides/);
    expect(first.tools.map((t) => t.summary)).toEqual([
      "run: exit code 0, ok",
      "check: failed test",
    ]);
    expect(sandbox.runs).toBe(2);

    // A crash and a replay: the same answers, the same tool results ($RANDOM$$ included).
    const again = await loop();
    expect(sandbox.runs).toBe(2);
    expect(result(again.sent[1])).toBe(result(first.sent[1]));
    expect(result(again.sent[2])).toBe(result(first.sent[2]));
  });
});

function base() {
  return {
    role: "implementer" as const,
    prompt: PROMPT,
    tree: {} as unknown as WorkTree,
    maxToolTurns: 5,
    maxOutputTokens: 1000,
    protectedPaths: [],
    logger: silentLogger,
  };
}
