import { metrics, trace } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { guardPorts } from "../../src/engine/boundary.ts";
import type { CodeHost } from "../../src/ports/code-host.ts";
import type { AgentRun, CodingAgent } from "../../src/ports/coding-agent.ts";
import type { IssueTracker } from "../../src/ports/issue-tracker.ts";
import type {
  AssistantPart,
  LanguageModel,
  Message,
  ModelRequest,
  ModelResponse,
} from "../../src/ports/language-model.ts";
import type { Workspace } from "../../src/ports/workspace.ts";
import { silentLogger } from "../fakes/harness.ts";
import { MemoryStore } from "../fakes/memory-store.ts";

const SECRET = "hunter2-very-secret-value";
// A credential by its shape alone (GitHub's installation token prefix, 36 more characters).
const TOKEN = `ghs_${"a1B2".repeat(9)}`;

function boundary() {
  return guardPorts(
    {
      tracker: {} as IssueTracker,
      codeHost: {} as CodeHost,
      store: new MemoryStore(),
      workspace: {} as Workspace,
      logger: silentLogger,
      tracer: trace.getTracer("t"),
      meter: metrics.getMeter("t"),
    },
    { secrets: [SECRET], allowedHosts: ["github.com"] },
  );
}

describe("the boundary around a coding agent", () => {
  it("redacts what the CLI is told before it sees it, and its summary on arrival", async () => {
    const seen: AgentRun[] = [];
    const cli: CodingAgent = {
      provider: "claude-code",
      run: (run) => {
        seen.push(run);
        return Promise.resolve({
          summary: `Done; the key was ${SECRET} and ${TOKEN}.`,
          usage: { input: { noCache: 1, cacheRead: 0, cacheWrite: 0 }, output: 1 },
          estimated: false,
          turns: 1,
          stop: "end",
        });
      },
    };
    const guarded = boundary().agent(cli);
    expect(guarded.provider).toBe("claude-code");
    const result = await guarded.run({
      model: "claude-sonnet-5-5",
      directory: "/tmp/tree",
      instructions: `Never print ${SECRET}.`,
      prompt: `The issue says: use ${TOKEN} to push.`,
      timeoutMs: 1_000,
      maxTurns: 5,
      budgetUsd: null,
      costOf: () => 0,
      tag: { task: "T1", role: "implementer", step: "S1", attempt: 1, turn: 0 },
    });
    const told = JSON.stringify(seen);
    expect(told).not.toContain(SECRET);
    expect(told).not.toContain(TOKEN);
    expect(seen[0]?.directory).toBe("/tmp/tree");
    expect(result.summary).not.toContain(SECRET);
    expect(result.summary).not.toContain(TOKEN);
    expect(result.summary).toMatch(/^Done; the key was /);
  });
});

describe("the boundary around a language model", () => {
  /** An answer whose reasoning, text and call carry a made-up credential shape and a known secret. */
  const content: AssistantPart[] = [
    {
      type: "reasoning",
      verbatim: {
        provider: "anthropic",
        data: {
          type: "thinking",
          thinking: `A token like ${TOKEN} is fine here.`,
          signature: "c2ln",
        },
      },
    },
    { type: "text", text: `I will not print ${SECRET}; ${TOKEN} is a placeholder.` },
    { type: "tool_call", id: "t0", name: "write_file", input: { content: `token=${TOKEN}` } },
  ];
  const answer: ModelResponse = {
    text: `I will not print ${SECRET}; ${TOKEN} is a placeholder.`,
    content,
    stopReason: "tool_use",
    usage: { input: { noCache: 1, cacheRead: 0, cacheWrite: 0 }, output: 1 },
  };

  function model() {
    const seen: ModelRequest[] = [];
    const client: LanguageModel = {
      provider: "anthropic",
      generate: (request) => {
        seen.push(request);
        return Promise.resolve(answer);
      },
    };
    return { seen, client };
  }

  const request = (messages: Message[]): ModelRequest => ({
    model: "claude-sonnet-5-5",
    system: `Instructions; the key ${SECRET} is not yours.`,
    messages,
    maxOutputTokens: 100,
    tag: { task: "T1", role: "implementer", step: "S1", attempt: 1, turn: 0 },
  });

  it("redacts the prose on arrival, keeps the assistant's turn but for known secrets, and sends it back as it was", async () => {
    const { seen, client } = model();
    const guarded = boundary().model(client);
    const user: Message = { role: "user", content: [{ type: "text", text: `Use ${TOKEN}.` }] };
    const first = await guarded.generate(request([user]));
    expect(first.text).not.toContain(SECRET);
    expect(first.text).not.toContain(TOKEN);
    const kept = JSON.stringify(first.content);
    expect(kept).not.toContain(SECRET);
    expect(kept.split(TOKEN)).toHaveLength(4);

    const result: Message = {
      role: "user",
      content: [
        { type: "tool_result", toolCallId: "t0", content: `wrote ${TOKEN}`, isError: false },
      ],
    };
    await guarded.generate(request([user, { role: "assistant", content: first.content }, result]));
    const [once, twice] = seen;
    // The assistant's turn reaches the provider as the boundary gave it out.
    expect(twice?.messages[1]).toEqual({ role: "assistant", content: first.content });
    // What we say is redacted, and the same way each turn: the conversation's prefix is stable.
    expect(twice?.messages[0]).toEqual(once?.messages[0]);
    expect(JSON.stringify([twice?.system, twice?.messages[0], twice?.messages[2]])).not.toMatch(
      new RegExp(`${SECRET}|${TOKEN}`),
    );
  });

  it("journals the assistant's turn redacted like the rest, but for the provider's opaque tokens", async () => {
    const store = new MemoryStore();
    const guarded = guardPorts(
      {
        tracker: {} as IssueTracker,
        codeHost: {} as CodeHost,
        store,
        workspace: {} as Workspace,
        logger: silentLogger,
        tracer: trace.getTracer("t"),
        meter: metrics.getMeter("t"),
      },
      { secrets: [SECRET], allowedHosts: ["github.com"] },
    );
    // A signature in which a credential shape occurs by chance, and one with the known secret.
    const chance = `RXFRQkNrZ0lB-${TOKEN}-QVJBQkdBSWlR`;
    const signed: ModelResponse = {
      ...answer,
      content: [
        {
          type: "reasoning",
          verbatim: {
            provider: "anthropic",
            data: { type: "thinking", thinking: `Use ${TOKEN}.`, signature: chance },
            opaque: ["signature", "data"],
          },
        },
        {
          type: "reasoning",
          verbatim: {
            provider: "anthropic",
            data: { type: "redacted_thinking", data: `x${SECRET}x` },
            opaque: ["signature", "data"],
          },
        },
        ...content.slice(1),
      ],
    };
    const client: LanguageModel = {
      provider: "anthropic",
      generate: () => Promise.resolve(signed),
    };
    const response = await guarded.model(client).generate(request([]));
    await guarded.store.writeCall({
      task: "T1",
      key: "k#0",
      value: { record: { note: `${TOKEN} ${SECRET}` }, response },
    });
    const journaled = (await store.readCall({ task: "T1", key: "k#0" })) as {
      record: { note: string };
      response: ModelResponse;
    };
    const text = JSON.stringify(journaled);
    expect(text).not.toContain(SECRET);
    expect(journaled.record.note).toBe("[REDACTED] [REDACTED]");
    expect(journaled.response.text).toBe(response.text);
    // The opaque token whole; the thinking, the prose and the tool input redacted.
    const [thinking, redacted, said, called] = journaled.response.content;
    expect(thinking).toEqual({
      type: "reasoning",
      verbatim: {
        provider: "anthropic",
        data: { type: "thinking", thinking: "Use [REDACTED].", signature: chance },
        opaque: ["signature", "data"],
      },
    });
    expect(redacted?.type === "reasoning" && redacted.verbatim.data["data"]).toBe("x[REDACTED]x");
    expect(said).toEqual({
      type: "text",
      text: "I will not print [REDACTED]; [REDACTED] is a placeholder.",
    });
    expect(called).toMatchObject({ input: { content: "token=[REDACTED]" } });
  });
});

describe("what is posted is bounded", () => {
  it("a body past GitHub's 65,536 characters is cut, with a note, and a code fence it opened is closed", async () => {
    const posted: string[] = [];
    const tracker = {
      ensureComment: (o: { body: string }) => {
        posted.push(o.body);
        return Promise.resolve();
      },
      updateStatus: (o: { body: string }) => {
        posted.push(o.body);
        return Promise.resolve();
      },
    } as unknown as IssueTracker;
    const guarded = guardPorts(
      {
        tracker,
        codeHost: {} as CodeHost,
        store: new MemoryStore(),
        workspace: {} as Workspace,
        logger: silentLogger,
        tracer: trace.getTracer("t"),
        meter: metrics.getMeter("t"),
      },
      { secrets: [], allowedHosts: ["github.com"] },
    );
    const huge = `Plan:\n\n\`\`\`\n${"x = 1\n".repeat(100_000)}\`\`\`\n`;
    await guarded.tracker.ensureComment({ task: "42", key: "k", topic: "plan", body: huge });
    await guarded.tracker.updateStatus({ task: "42", body: "short" });
    const [cut, short] = posted;
    expect(huge.length).toBeGreaterThan(600_000);
    expect(cut?.length).toBeLessThanOrEqual(65_536 - 1_000);
    expect(cut).toMatch(/\n```\n\n\*\(this comment cut here: \d+ more character\(s\) left out/);
    expect(short).toBe("short");
  });
});
