import * as semconv from "@opentelemetry/semantic-conventions/incubating";
import { describe, expect, it } from "vitest";
import { NoEligibleModelError } from "../../../src/core/errors.ts";
import { underlyingModel, withAgents } from "../../../src/core/models/agents.ts";
import { GEN_AI_AGENT } from "../../../src/engine/calls/gen-ai.ts";
import {
  AgentAnswer,
  AgentJournalEntry,
  agentRun,
  agentRunMost,
  INVOKE_AGENT,
  type AgentRequest,
} from "../../../src/engine/calls/stages/agent.ts";
import { WHAT_IS_LEFT } from "../../../src/engine/calls/stages/budgets.ts";
import type { PendingCall } from "../../../src/engine/calls/stages/stage.ts";
import type { AgentResult, AgentRun, CodingAgent } from "../../../src/ports/coding-agent.ts";
import { clock, pendingCall, registry as models } from "../../fakes/pending-call.ts";

const REF = "claude-code/claude-sonnet-4-5";
const registry = withAgents(models, ["claude-code"]);
const TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

function agent(result: Partial<AgentResult> = {}) {
  const runs: AgentRun[] = [];
  const cli: CodingAgent = {
    provider: "claude-code",
    run: (run) => {
      runs.push(run);
      return Promise.resolve({
        summary: "Added notes.",
        usage: { input: { noCache: 1_000, cacheRead: 0, cacheWrite: 0 }, output: 100 },
        estimated: false,
        turns: 3,
        stop: "end",
        ...result,
      });
    },
  };
  return { runs, agents: new Map([["claude-code", cli]]) };
}

function agentCall(over: Partial<PendingCall<AgentRequest>> = {}): PendingCall<AgentRequest> {
  const base = pendingCall();
  return {
    ...base,
    site: { ...base.site, role: "implementer", modelRef: REF, step: "S1", prompt: "implementer@5" },
    candidates: [REF],
    request: {
      instructions: "Implement the step.",
      prompt: "S1: add notes",
      directory: "/work/tree",
      tree: { snapshot: () => Promise.resolve(TREE) },
      timeoutMs: 60_000,
      maxTurns: 20,
    },
    ...over,
  };
}

describe("an agent run's line", () => {
  it("runs the CLI with the model it names, our caps and the dollars held, then snapshots the files it left and prices it as the vendor model", async () => {
    const a = agent({ reportedCostUsd: 0.0045 });
    const result = await agentRun({ agents: a.agents, registry, clock })(
      agentCall({ maxUsd: 1.25 }),
    );
    expect(a.runs[0]).toMatchObject({
      model: "claude-sonnet-4-5",
      directory: "/work/tree",
      instructions: "Implement the step.",
      prompt: "S1: add notes",
      timeoutMs: 60_000,
      maxTurns: 20,
      budgetUsd: 1.25,
      tag: { task: "T1", role: "implementer", step: "S1", attempt: 1, turn: 0 },
    });
    // Priced as Sonnet 4.5: 1,000 in at $3 and 100 out at $15 per million.
    expect(
      a.runs[0]?.costOf({ input: { noCache: 1_000, cacheRead: 0, cacheWrite: 0 }, output: 100 }),
    ).toBe(0.0045);
    expect(result.record).toMatchObject({
      key: "T1:planning:-:1:plan#0",
      role: "implementer",
      model: REF,
      prompt: "implementer@5",
      costUsd: 0.0045,
      stopReason: "end",
    });
    expect(result.response).toEqual({
      summary: "Added notes.",
      stop: "end",
      turns: 3,
      limitUsd: 1.25,
      tree: TREE,
      reportedCostUsd: 0.0045,
    });
    // What is journaled reads back as it was written.
    expect(AgentJournalEntry.parse(structuredClone(result))).toEqual(result);
    expect(AgentAnswer.safeParse({ ...result.response, tree: undefined }).success).toBe(false);
  });

  it("without dollars held (no task or day budget) the CLI has no dollar cap", async () => {
    const a = agent();
    const result = await agentRun({ agents: a.agents, registry, clock })(agentCall());
    expect(a.runs[0]?.budgetUsd).toBeNull();
    expect(result.response.limitUsd).toBeNull();
  });

  it("tells the CLI the level its model takes nearest to the effort routing wants, and records the level the CLI was told", async () => {
    const told = (ref: string, effort?: "low" | "xhigh") => {
      const a = agent();
      const run = agentRun({ agents: a.agents, registry, clock });
      const base = agentCall();
      return run({
        ...base,
        site: { ...base.site, modelRef: ref, ...(effort ? { effort } : {}) },
        candidates: [ref],
      }).then((result) => ({ sent: a.runs[0]?.effort, result }));
    };
    // Sonnet 5.5 takes xhigh; Opus 4.5's top level is high; Sonnet 4.5 takes no effort at all.
    expect((await told("claude-code/claude-sonnet-5-5", "xhigh")).sent).toBe("xhigh");
    expect((await told("claude-code/claude-opus-4-5", "xhigh")).sent).toBe("high");
    expect((await told("claude-code/claude-sonnet-4-5", "xhigh")).sent).toBeUndefined();
    expect((await told("claude-code/claude-sonnet-5-5")).sent).toBeUndefined();
    // The ledger has what the CLI said it was told (a CLI with no flag says none).
    const a = agent({ effort: "low" });
    const base = agentCall();
    const result = await agentRun({ agents: a.agents, registry, clock })({
      ...base,
      site: { ...base.site, modelRef: "claude-code/claude-sonnet-5-5", effort: "low" },
      candidates: ["claude-code/claude-sonnet-5-5"],
    });
    expect(result.record.effort).toBe("low");
    expect(
      (await told("claude-code/claude-sonnet-5-5", "low")).result.record.effort,
    ).toBeUndefined();
  });

  it("gives an agent's model effort levels only where its CLI has a flag for them", () => {
    const all = withAgents(models, ["claude-code", "codex", "aider", "gemini-cli"]);
    const levels = (ref: string) => all.models.get(ref)?.effort?.levels;
    expect(levels("claude-code/claude-sonnet-5-5")).toEqual(levels("anthropic/claude-sonnet-5-5"));
    expect(levels("codex/gpt-6.1-terra")).toEqual(["low", "medium", "high", "xhigh"]);
    expect(levels("aider/openai/gpt-6.1-terra")).toEqual(["low", "medium", "high", "xhigh"]);
    // aider tells Anthropic's models thinking tokens, not an effort; Gemini CLI has no flag.
    expect(levels("aider/anthropic/claude-sonnet-5-5")).toBeUndefined();
    expect(levels("gemini-cli/gemini-3.5-flash")).toBeUndefined();
    expect(levels("google/gemini-3.5-flash")).toEqual(["low", "medium", "high"]);
  });

  it("an unpriced model, or one no agent on this host runs, is not run", async () => {
    const a = agent();
    const run = agentRun({ agents: a.agents, registry, clock });
    await expect(
      run(agentCall({ site: { ...agentCall().site, modelRef: "claude-code/nope" } })),
    ).rejects.toBeInstanceOf(NoEligibleModelError);
    await expect(agentRun({ agents: new Map(), registry, clock })(agentCall())).rejects.toThrow(
      "no coding-agent CLI runs claude-code/claude-sonnet-4-5",
    );
    expect(a.runs).toEqual([]);
  });

  it("is given what is left, and is named `invoke_agent {agent}` in the GenAI conventions", () => {
    expect(agentRunMost(registry.models.get(REF) as never, agentCall(), 0)).toBe(WHAT_IS_LEFT);
    expect(INVOKE_AGENT.spanName(REF)).toBe("invoke_agent claude-code");
    expect(INVOKE_AGENT.request(REF, agentCall().request)).toEqual({
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.provider.name": "claude-code",
      "gen_ai.agent.name": "claude-code",
      "gen_ai.request.model": "claude-sonnet-4-5",
    });
    /* eslint-disable @typescript-eslint/no-deprecated -- as in telemetry.test.ts: the names
       moved to open-telemetry/semantic-conventions-genai unchanged (gen-ai-agent-spans.md). */
    expect(GEN_AI_AGENT).toEqual({
      agentName: semconv.ATTR_GEN_AI_AGENT_NAME,
      operation: semconv.GEN_AI_OPERATION_NAME_VALUE_INVOKE_AGENT,
    });
    /* eslint-enable @typescript-eslint/no-deprecated */
  });
});

describe("agent names", () => {
  it("are looked up as the agents' own names, never a prototype property", () => {
    for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      expect(underlyingModel(`${name}/x`)).toBe(`${name}/x`);
      expect(withAgents(models, [name]).models.size).toBe(models.models.size);
    }
  });
});
