import { metrics, trace } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { guardPorts } from "../../src/engine/boundary.ts";
import type { CodeHost } from "../../src/ports/code-host.ts";
import type { AgentRun, CodingAgent } from "../../src/ports/coding-agent.ts";
import type { IssueTracker } from "../../src/ports/issue-tracker.ts";
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
