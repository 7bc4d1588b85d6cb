// An implementer routed to a coding-agent CLI (the Claude Code stand-in) is a paid call like a
// model's: it goes through the model caller's journal, telemetry and budgets
// (engine/calls/model-caller.ts), and what it is told crosses engine/boundary.ts.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SpanKind } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import { describe, expect, it } from "vitest";
import { Git } from "../../src/adapters/git/git.ts";
import { loadRepoConfig, type LocalHostOptions } from "../../src/cli/local-host.ts";
import { totalCost } from "../../src/core/cost/ledger.ts";
import { createTraffic } from "../../src/engine/calls/traffic.ts";
import type { EngineDeps } from "../../src/engine/deps.ts";
import { createEngine } from "../../src/engine/engine.ts";
import type { AgentRun, CodingAgent } from "../../src/ports/coding-agent.ts";
import type { WorkTree } from "../../src/ports/workspace.ts";
import { agentsFromEnv } from "../../src/providers/agent-cli/setup.ts";
import { SimulatedCrash } from "../fakes/crash.ts";
import { branchLog, demoTask, harness } from "../fakes/harness.ts";

const CLAUDE = fileURLToPath(new URL("../fixtures/agent-clis/claude", import.meta.url));
const AGENT = "claude-code/claude-sonnet-5-5";

/** The Claude Code stand-in, counting its runs and keeping what each was told. */
function countedAgent() {
  const [cli] = agentsFromEnv({
    PATH: process.env["PATH"] ?? "",
    ORCHESTRATOR_AGENTS: "claude-code",
    ORCHESTRATOR_CLAUDE_CODE_BIN: CLAUDE,
    ANTHROPIC_API_KEY: "sk-ant-agent",
  });
  if (!cli) throw new Error("no agent");
  const runs: AgentRun[] = [];
  const agent: CodingAgent = {
    provider: cli.provider,
    run: (run) => {
      runs.push(run);
      return cli.run(run);
    },
  };
  return { agent, runs };
}

async function agentHarness(options: { goal?: string; taskBudgetUsd?: number } = {}) {
  const h = await harness();
  const config = await loadRepoConfig(h.repo);
  const counted = countedAgent();
  const task = { ...(await demoTask()), ...(options.goal ? { goal: options.goal } : {}) };
  const host = (over: Partial<LocalHostOptions> = {}) =>
    h.host({
      config: {
        ...config,
        gate: { commands: [{ name: "test", run: "true", timeout_seconds: 30 }] },
        limits: {
          ...config.limits,
          ...(options.taskBudgetUsd === undefined
            ? {}
            : { task_budget_usd: options.taskBudgetUsd }),
        },
        routing: {
          ...config.routing,
          rules: [
            {
              when: {},
              reason: "the implementer is Claude Code",
              planner: ["google/gemini-3.1-pro-preview"],
              implementer: [AGENT],
            },
          ],
        },
      },
      agents: [counted.agent],
      ...over,
    });
  return { h, host, task, runs: counted.runs };
}

function recorders() {
  const spans = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spans)],
  }).getTracer("t");
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const meters = new MeterProvider({ readers: [reader] });
  return {
    spans,
    tracer,
    meter: meters.getMeter("t"),
    async points(name: string) {
      await reader.forceFlush();
      const all = exporter.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics));
      await meters.shutdown();
      return all.find((m) => m.descriptor.name === name)?.dataPoints ?? [];
    },
  };
}

/** The engine's ports, dying (every later call throws) when a work tree is first asked to commit. */
function dyingAtFirstCommit(deps: EngineDeps): EngineDeps {
  let dead = false;
  const wrap = <T extends object>(target: T, kind: "port" | "tree"): T =>
    new Proxy(target, {
      get(obj, prop, receiver) {
        const value = Reflect.get(obj, prop, receiver) as unknown;
        if (typeof value !== "function") return value;
        return async (...args: unknown[]) => {
          if (dead) throw new SimulatedCrash("the process is gone");
          if (kind === "tree" && prop === "commit") {
            dead = true;
            throw new SimulatedCrash("died before the commit");
          }
          const out: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(
            obj,
            args,
          );
          return prop === "open" ? wrap(out as WorkTree, "tree") : out;
        };
      },
    });
  return {
    ...deps,
    store: wrap(deps.store, "port"),
    tracker: wrap(deps.tracker, "port"),
    workspace: wrap(deps.workspace, "port"),
  };
}

describe("a coding-agent run is a paid call like a model's", () => {
  it("is held against the day budget: its spend counts there, and a run that could pass it is not started", async () => {
    {
      const { host, task, runs, h } = await agentHarness();
      const traffic = createTraffic({ now: () => 0 });
      const engine = (await host({ dayBudgetUsd: 50, traffic })).engine;
      await engine.start(task);
      const doc = await engine.run(task.id);
      expect(doc.state).toBe("done");
      expect(runs.length).toBeGreaterThan(0);
      // Every call of the task, the agent's runs included, was counted against the day.
      expect(traffic.daySpend.spentToday(h.repo)).toBe(totalCost(doc.ledger));
      expect(doc.ledger.filter((c) => c.model === AGENT)).toHaveLength(runs.length);
    }
    {
      // The task may spend $5; the day has $1: the run could pass the day's budget.
      const { host, task, runs, h } = await agentHarness();
      const engine = (await host({ dayBudgetUsd: 1 })).engine;
      await engine.start(task);
      const doc = await engine.run(task.id);
      expect(runs).toEqual([]);
      expect(doc.state).toBe("awaiting_human");
      expect(doc.escalation).toMatchObject({ reason: "budget_reached" });
      expect(doc.escalation?.message).toContain(`the repository ${h.repo} has spent`);
      expect(doc.escalation?.message).toContain("of its $1.0000 budget");
    }
  });

  it("with no task budget, it may spend what the day has left and is stopped there", async () => {
    const { host, task, runs } = await agentHarness({
      goal: "[[expensive]] add notes",
      taskBudgetUsd: 0,
    });
    const traffic = createTraffic({ now: () => 0 });
    const engine = (await host({ dayBudgetUsd: 3, traffic })).engine;
    await engine.start(task);
    const doc = await engine.run(task.id);
    expect(runs).toHaveLength(1);
    const planning = totalCost(doc.ledger.filter((c) => c.model !== AGENT));
    // Given what was left of the $3, and stopped once its usage passed it.
    expect(runs[0]?.budgetUsd).toBeCloseTo(3 - planning, 6);
    expect(doc.escalation).toMatchObject({ reason: "budget_reached" });
    expect(doc.escalation?.message).toContain("was stopped after");
  });

  it("is traced: an `invoke_agent claude-code` CLIENT span under the step, with the GenAI attributes, and the GenAI metrics", async () => {
    const r = recorders();
    const { host, task } = await agentHarness();
    const engine = (await host({ tracer: r.tracer, meter: r.meter })).engine;
    await engine.start(task);
    const doc = await engine.run(task.id);
    const spans = r.spans.getFinishedSpans();
    const runs = spans.filter((s) => s.name === "invoke_agent claude-code");
    expect(runs).toHaveLength(doc.ledger.filter((c) => c.model === AGENT).length);
    const [span] = runs;
    expect(span?.kind).toBe(SpanKind.CLIENT);
    const parent = spans.find((s) => s.spanContext().spanId === span?.parentSpanContext?.spanId);
    expect(parent?.name).toBe("step.run");
    expect(span?.attributes).toMatchObject({
      "gen_ai.operation.name": "invoke_agent",
      "gen_ai.agent.name": "claude-code",
      "gen_ai.provider.name": "claude-code",
      "gen_ai.request.model": "claude-sonnet-5-5",
      "gen_ai.response.model": "claude-sonnet-5-5",
      "gen_ai.response.finish_reasons": ["stop"],
      // The stand-in's final usage: 1,200 in, 8,000 read from cache, 1,200 written to it; 240 out.
      "gen_ai.usage.input_tokens": 10_400,
      "gen_ai.usage.cache_read.input_tokens": 8_000,
      "gen_ai.usage.cache_creation.input_tokens": 1_200,
      "gen_ai.usage.output_tokens": 240,
      "llm.role": "implementer",
      "llm.model": AGENT,
      "llm.cost_usd": 0.0086,
    });
    expect(span?.attributes).not.toHaveProperty("gen_ai.request.max_tokens");
    // No implementer model call was made besides the agent's runs.
    expect(
      spans.filter((s) => s.name.startsWith("chat ") && s.attributes["llm.role"] === "implementer"),
    ).toEqual([]);
    const durations = await r.points("gen_ai.client.operation.duration");
    expect(durations.map((p) => p.attributes["gen_ai.operation.name"])).toContain("invoke_agent");
  });

  it("is journaled: a process that dies before the commit is replayed from the journal, with the run's files, and the agent does not run again", async () => {
    const { host, task, runs, h } = await agentHarness();
    const first = await host();
    const engine = createEngine(dyingAtFirstCommit(first.deps));
    await engine.start(task);
    await expect(engine.run(task.id)).rejects.toBeInstanceOf(SimulatedCrash);
    expect(runs).toHaveLength(1);
    // What the run left: the stand-in writes the private home it was given, new for each run.
    const directory = first.workspace.directoryOf(task.id);
    const seen = await readFile(join(directory, ".agent-env"), "utf8");
    const saved = await first.store.load(task.id);
    const effectKey = saved?.document.outbox.find((e) => e.kind === "implement_step")?.key ?? "";
    expect(await first.store.readCall({ task: task.id, key: `${effectKey}#0` })).toMatchObject({
      record: { model: AGENT, key: `${effectKey}#0` },
      response: { stop: "end", tree: expect.stringMatching(/^[0-9a-f]{40}$/) },
    });

    const second = await host();
    const doc = await second.engine.run(task.id);
    expect(doc.state).toBe("done");
    const agentCalls = doc.ledger.filter((c) => c.model === AGENT);
    // One run per step, each paid once: the first step's run came from the journal.
    expect(runs).toHaveLength(agentCalls.length);
    expect(agentCalls.map((c) => c.key.endsWith("#0"))).not.toContain(false);
    const [firstCommit] = await branchLog(h.repo, doc.baseCommit ?? "", doc.branch);
    const sha = firstCommit?.split(" ")[0] ?? "";
    const committed = await new Git({ cwd: h.repo }).output(["show", `${sha}:.agent-env`]);
    expect(committed).toBe(seen);
  });

  it("a run stopped at the budget is paid once; after /budget the effect's next run is a new call, and both are in the ledger", async () => {
    const { host, task, runs } = await agentHarness({ goal: "[[expensive]] add notes" });
    const engine = (await host()).engine;
    await engine.start(task);
    const stopped = await engine.run(task.id);
    expect(stopped.escalation).toMatchObject({ reason: "budget_reached" });
    expect(runs).toHaveLength(1);
    const raised = await engine.command(task.id, { command: "budget", amountUsd: 2, by: "tester" });
    expect(raised.applied).toBe(true);
    const again = await engine.run(task.id);
    expect(runs).toHaveLength(2);
    const agentCalls = again.ledger.filter((c) => c.model === AGENT);
    expect(agentCalls.map((c) => c.key.slice(c.key.indexOf("#")))).toEqual(["#0", "#1"]);
    // The second run was given what the raised budget left.
    expect(runs[1]?.budgetUsd).toBeCloseTo(5 + 2 - totalCost(stopped.ledger), 6);
  });
});
