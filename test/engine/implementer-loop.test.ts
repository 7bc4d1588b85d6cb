import { describe, expect, it } from "vitest";
import { ModelOutputError } from "../../src/core/errors.ts";
import { implementerLoop } from "../../src/engine/agents/implementer-loop.ts";
import type { BoundCall, CallRequest } from "../../src/engine/calls/model-caller.ts";
import type { AssistantPart, ModelResponse, StopReason } from "../../src/ports/language-model.ts";
import type { WorkTree } from "../../src/ports/workspace.ts";
import { answer } from "../fakes/pending-call.ts";
import { silentLogger } from "../fakes/harness.ts";

const PROMPT = { prompt: "implementer@5", system: "s", user: "u", userParts: ["u"] };

/** A model answering `turns` in order, keeping every request it was sent. */
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

/** A tree that has one file and takes no writes. */
const tree = {
  readFile: (path: string) => Promise.resolve(path === "a.js" ? "export const a = 1;\n" : null),
} as unknown as WorkTree;

const args = {
  role: "implementer" as const,
  prompt: PROMPT,
  tree,
  maxToolTurns: 5,
  maxOutputTokens: 1000,
  protectedPaths: [],
  calls: [],
  logger: silentLogger,
};

const thinking = (n: number): AssistantPart => ({
  type: "reasoning",
  verbatim: {
    provider: "anthropic",
    data: { type: "thinking", thinking: "", signature: `sig-${n}` },
  },
});
const read = (id: string): AssistantPart => ({
  type: "tool_call",
  id,
  name: "read_file",
  input: { path: "a.js" },
});

describe("the implementer's tool loop", () => {
  it("sends every assistant turn back as it came, reasoning first, before its tool results", async () => {
    const first = [thinking(0), { type: "text" as const, text: "Reading." }, read("t0")];
    const second = [thinking(1), read("t1"), thinking(2), read("t2")];
    const { call, sent } = scripted([
      { content: first, stop: "tool_use" },
      { content: second, stop: "tool_use" },
      { content: [thinking(3), { type: "text", text: "Done." }], stop: "end" },
    ]);
    expect(await implementerLoop(call, { ...args, calls: [] })).toBe("Done.");
    expect(sent).toHaveLength(3);
    const last = sent[2]?.messages ?? [];
    expect(last.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant", "user"]);
    expect(last[1]?.content).toBe(first);
    expect(last[3]?.content).toBe(second);
    expect(last[4]?.content.map((p) => (p.type === "tool_result" ? p.toolCallId : p.type))).toEqual(
      ["t1", "t2"],
    );
  });

  it.each(["other", "tool_use"] as const)(
    "does not take a turn that stopped with %s and no call as the step's end",
    async (stop) => {
      const { call } = scripted([{ content: [thinking(0)], stop }]);
      const error = await implementerLoop(call, { ...args, calls: [] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelOutputError);
      expect((error as ModelOutputError).kind).toBe("invalid");
      expect((error as Error).message).toMatch(`stop reason ${stop}`);
    },
  );

  it("answers a tool named like a prototype property as an unknown tool, and goes on", async () => {
    const names = [...Object.getOwnPropertyNames(Object.prototype), "prototype", "safeParse"];
    expect(names).toEqual(expect.arrayContaining(["constructor", "__proto__", "toString"]));
    const calls: AssistantPart[] = names.map((name, i) => ({
      type: "tool_call",
      id: `t${i}`,
      name,
      input: { path: "a.js" },
    }));
    const { call, sent } = scripted([
      { content: calls, stop: "tool_use" },
      { content: [{ type: "text", text: "Done." }], stop: "end" },
    ]);
    const tools: { summary: string; refused: boolean }[] = [];
    expect(await implementerLoop(call, { ...args, calls: [], tools })).toBe("Done.");
    const results = sent[1]?.messages.at(-1)?.content ?? [];
    expect(results).toHaveLength(names.length);
    for (const [i, result] of results.entries()) {
      expect(result).toMatchObject({ type: "tool_result", toolCallId: `t${i}`, isError: true });
      expect(result.type === "tool_result" && result.content).toBe(`unknown tool ${names[i]}`);
    }
    expect(tools.every((t) => t.refused && t.summary.startsWith("unknown tool"))).toBe(true);
  });
});
