// Every coding-agent CLI adapter against a stand-in that prints that CLI's real output shape
// (test/fixtures/agent-clis/README.md): the work tree's changes, usage and cost, our caps
// enforced around the process, errors, and an environment without our secrets.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { costOf } from "../../src/core/cost/prices.ts";
import { ProviderError } from "../../src/core/errors.ts";
import type { AgentRun, CodingAgent } from "../../src/ports/coding-agent.ts";
import { agentsFromEnv } from "../../src/providers/agent-cli/setup.ts";

const STANDINS = fileURLToPath(new URL("../fixtures/agent-clis/", import.meta.url));
const PRICE = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 };

const ENV: NodeJS.ProcessEnv = {
  PATH: process.env["PATH"] ?? "",
  ORCHESTRATOR_AGENTS: "claude-code,gemini-cli,codex,aider",
  ORCHESTRATOR_CLAUDE_CODE_BIN: join(STANDINS, "claude"),
  ORCHESTRATOR_GEMINI_CLI_BIN: join(STANDINS, "gemini"),
  ORCHESTRATOR_CODEX_BIN: join(STANDINS, "codex"),
  ORCHESTRATOR_AIDER_BIN: join(STANDINS, "aider"),
  ANTHROPIC_API_KEY: "sk-ant-agent-key",
  OPENAI_API_KEY: "sk-openai-agent-key",
  // Ours, never for an agent:
  GITHUB_TOKEN: "ghs_never_for_agents",
  WEBHOOK_SECRET: "never-for-agents",
  PRIVATE_KEY: "never-for-agents",
};

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function run(agent: CodingAgent, over: Partial<AgentRun> = {}) {
  const directory = await mkdtemp(join(tmpdir(), "agent-tree-"));
  dirs.push(directory);
  const result = await agent.run({
    model: "",
    directory,
    instructions: "Implement the step.",
    prompt: "S1: add notes",
    timeoutMs: 20_000,
    maxTurns: 20,
    budgetUsd: null,
    costOf: (u) => costOf(u, PRICE),
    tag: { task: "T1", role: "implementer", step: "S1", attempt: 1, turn: 0 },
    ...over,
  });
  return { result, directory };
}

const agents = agentsFromEnv(ENV);

describe.each(agents.map((a) => [a.provider, a] as const))("agent CLI %s", (provider, agent) => {
  it("edits the work tree and reports usage, with only its own key and a private home", async () => {
    const { result, directory } = await run(agent);
    expect(await readFile(join(directory, "AGENT_NOTES.md"), "utf8")).toContain("stand-in");
    expect(result.stop).toBe("end");
    expect(result.estimated).toBe(false);
    expect(result.usage.output).toBeGreaterThan(0);
    expect(result.summary).toMatch(/AGENT_NOTES\.md/);
    const seen = JSON.parse(await readFile(join(directory, ".agent-env"), "utf8")) as {
      names: string[];
      home: string;
    };
    expect(seen.names).not.toContain("GITHUB_TOKEN");
    expect(seen.names).not.toContain("WEBHOOK_SECRET");
    expect(seen.names).not.toContain("PRIVATE_KEY");
    expect(seen.names.filter((n) => n.startsWith("ORCHESTRATOR_"))).toEqual([]);
    expect(seen.home).not.toBe(process.env["HOME"]);
    if (provider === "codex") expect(seen.names).toContain("OPENAI_API_KEY");
    if (provider === "claude-code") expect(seen.names).not.toContain("OPENAI_API_KEY");
  });

  it("is stopped by us past its turns, whatever its own flags say", async () => {
    {
      const started = Date.now();
      const { result } = await run(agent, { prompt: "[[loop]]", maxTurns: 5 });
      expect(result.stop).toBe("turn_limit");
      expect(result.turns).toBe(6);
      expect(Date.now() - started).toBeLessThan(5_000);
    }
  });

  it("is stopped by us at its time limit", async () => {
    const started = Date.now();
    const { result } = await run(agent, { prompt: "[[hang]]", timeoutMs: 400 });
    expect(result.stop).toBe("time_limit");
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("reports its errors as ProviderErrors", async () => {
    const error = await run(agent, { prompt: "[[auth]]" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: "auth", provider });
  });
});

describe("agent CLIs: the rest", () => {
  it("Claude Code: stopped once its reported usage passes the dollars the task has left", async () => {
    const claude = agents.find((a) => a.provider === "claude-code")!;
    const { result } = await run(claude, { prompt: "[[expensive]]", budgetUsd: 5 });
    expect(result.stop).toBe("budget_limit");
    expect(costOf(result.usage, PRICE)).toBeGreaterThan(5);
    expect(result.turns).toBeLessThan(10);
  });

  it("reads each CLI's usage and cost as it reports them", async () => {
    const by = Object.fromEntries(
      await Promise.all(agents.map(async (a) => [a.provider, (await run(a)).result] as const)),
    );
    expect(by["claude-code"]).toMatchObject({
      usage: { input: { noCache: 1200, cacheRead: 8000, cacheWrite: 1200 }, output: 240 },
      reportedCostUsd: 0.01863,
    });
    expect(by["gemini-cli"]?.usage).toEqual({
      input: { noCache: 3676, cacheRead: 21263, cacheWrite: 0 },
      output: 174,
    });
    expect(by["codex"]?.usage).toEqual({
      input: { noCache: 315, cacheRead: 24448, cacheWrite: 0 },
      output: 122,
    });
    expect(by["aider"]).toMatchObject({
      usage: { input: { noCache: 800, cacheRead: 0, cacheWrite: 1500 }, output: 156 },
      reportedCostUsd: 0.0093,
    });
  });

  it("tells each CLI the effort in its own flag, which its stand-in refuses outside the CLI's levels", async () => {
    const args = async (provider: string, effort?: AgentRun["effort"]) => {
      const agent = agents.find((a) => a.provider === provider)!;
      const { result, directory } = await run(agent, effort ? { effort } : {});
      const seen = JSON.parse(await readFile(join(directory, ".agent-env"), "utf8")) as {
        args: string[];
      };
      return { told: result.effort, args: seen.args };
    };
    expect(await args("claude-code", "xhigh")).toMatchObject({ told: "xhigh" });
    expect((await args("claude-code", "xhigh")).args).toEqual(
      expect.arrayContaining(["--effort", "xhigh"]),
    );
    // Codex's levels end at xhigh: our max is sent as its xhigh (its config refuses "max").
    const codex = await args("codex", "max");
    expect(codex.told).toBe("max");
    expect(codex.args).toEqual(expect.arrayContaining(["-c", 'model_reasoning_effort="xhigh"']));
    expect((await args("aider", "low")).args).toEqual(
      expect.arrayContaining(["--reasoning-effort", "low"]),
    );
    // Gemini CLI has no flag: it is told nothing, and says so.
    const gemini = await args("gemini-cli", "high");
    expect(gemini.told).toBeUndefined();
    expect(gemini.args.join(" ")).not.toMatch(/effort|thinking/);
    // Without an effort, no CLI gets an effort flag.
    for (const provider of ["claude-code", "codex", "aider"]) {
      const plain = await args(provider);
      expect(plain.told).toBeUndefined();
      expect(plain.args.join(" ")).not.toMatch(/effort/);
    }
  });

  it("names a CLI that is not installed, and refuses an unknown agent name", async () => {
    const [missing] = agentsFromEnv({
      PATH: "/nonexistent",
      ORCHESTRATOR_AGENTS: "codex",
    });
    await expect(run(missing!)).rejects.toMatchObject({
      kind: "not_found",
      message: expect.stringContaining("codex is not installed"),
    });
    expect(() => agentsFromEnv({ ORCHESTRATOR_AGENTS: "claude-code,cursor" })).toThrow(
      /ORCHESTRATOR_AGENTS: unknown agent cursor/,
    );
  });
});
