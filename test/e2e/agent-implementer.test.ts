// The demo task with the implementer routed to a coding-agent CLI (the Claude Code stand-in):
// its work tree changes are committed after the same checks as our own tool loop.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadRepoConfig } from "../../src/cli/local-host.ts";
import { wantedEffort } from "../../src/core/routing/effort.ts";
import { agentsFromEnv } from "../../src/providers/agent-cli/setup.ts";
import { branchLog, demoTask, harness } from "../fakes/harness.ts";

const CLAUDE = fileURLToPath(new URL("../fixtures/agent-clis/claude", import.meta.url));

async function agentHost(goal?: string) {
  const h = await harness();
  const config = await loadRepoConfig(h.repo);
  const host = await h.host({
    config: {
      ...config,
      // The stand-in does not write the demo's helper: a gate that is always green.
      gate: { commands: [{ name: "test", run: "true", timeout_seconds: 30 }] },
      routing: {
        ...config.routing,
        rules: [
          {
            when: {},
            reason: "the implementer is Claude Code",
            planner: ["google/gemini-3.1-pro-preview"],
            implementer: ["claude-code/claude-sonnet-5-5"],
          },
        ],
      },
    },
    agents: agentsFromEnv({
      PATH: process.env["PATH"] ?? "",
      ORCHESTRATOR_AGENTS: "claude-code",
      ORCHESTRATOR_CLAUDE_CODE_BIN: CLAUDE,
      ANTHROPIC_API_KEY: "sk-ant-agent",
    }),
  });
  const task = { ...(await demoTask()), ...(goal ? { goal } : {}) };
  await host.engine.start(task);
  return { h, host, task, doc: await host.engine.run(task.id) };
}

describe("the implementer as a coding-agent CLI", () => {
  it("commits each step's work tree changes, prices the run as the model it ran, and keeps the reviewer another provider's", async () => {
    const { h, doc } = await agentHost();
    expect(doc.state).toBe("done");
    expect(doc.routing?.implementer.model).toBe("claude-code/claude-sonnet-5-5");
    expect(doc.routing?.code_reviewer.model.startsWith("anthropic/")).toBe(false);
    const runs = doc.ledger.filter((c) => c.role === "implementer");
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) {
      expect(run.model).toBe("claude-code/claude-sonnet-5-5");
      // The stand-in's usage at Sonnet 5.5's list price: 1,200 in ($0.0024), 8,000 cache read
      // ($0.0008), 1,200 cache write ($0.003), 240 out ($0.0024).
      expect(run.costUsd).toBe(0.0086);
      expect(run.estimated).toBeUndefined();
      // Told its step's effort in Claude Code's own flag (the stand-in refuses a bad level).
      const step = doc.plan?.steps.find((s) => run.key.includes(`:${s.id}:`));
      expect(step).toBeDefined();
      if (step) expect(run.effort).toBe(wantedEffort("implementer", step).effort);
    }
    // The implementer's cassette answers were never asked for: the agent did the steps.
    expect(h.replay.requests.filter((r) => r.tag.role === "implementer")).toEqual([]);
    const commits = await branchLog(h.repo, doc.baseCommit ?? "", doc.branch);
    expect(commits.length).toBeGreaterThan(0);
  });

  it("a change to a protected path by the agent is refused like the tool loop's, and nothing is committed", async () => {
    const { h, doc } = await agentHost("[[protected]] add a workflow");
    expect(doc.state).toBe("awaiting_human");
    expect(doc.escalation).toMatchObject({ reason: "protected_path" });
    expect(doc.escalation?.message).toContain(".github/workflows/ci.yml");
    expect(await branchLog(h.repo, doc.baseCommit ?? "", doc.branch)).toEqual([]);
  });
});
