// Budgets, day budgets, fallback, circuit breakers and rate limits, through the engine on the
// demo task (the replay provider answers; a wrapper makes one model fail where a test says so).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ProviderError } from "../../src/core/errors.ts";
import { createTraffic } from "../../src/engine/calls/traffic.ts";
import type { LanguageModel } from "../../src/ports/language-model.ts";
import { demoTask, fastGate, FIXED_NOW, harness } from "../fakes/harness.ts";

async function withBudget(repo: string, budget: number) {
  const config = await fastGate(repo);
  return { ...config, limits: { ...config.limits, task_budget_usd: budget } };
}

describe("budgets through the engine", () => {
  it("a call that could cross the task's budget is not made; the task hands back and /budget goes on without paying twice", async () => {
    const h = await harness();
    // The planner may cost up to $0.10 (8,192 output tokens at $12/M); a Sonnet implementer
    // turn up to $0.09. With $0.12 the task stops inside step S1.
    const host = await h.host({ config: await withBudget(h.repo, 0.12) });
    const task = await demoTask();
    await host.engine.start(task);
    let doc = await host.engine.run(task.id);

    expect(doc.state).toBe("awaiting_human");
    expect(doc.escalation).toMatchObject({ reason: "budget_reached", step: 0 });
    expect(doc.escalation?.message).toMatch(/could cost up to \$0\.\d{4}/);
    const spent = doc.ledger.reduce((s, c) => s + c.costUsd, 0);
    expect(spent).toBeLessThanOrEqual(0.12);
    const paid = h.replay.requests.length;
    expect(paid).toBe(doc.ledger.length);
    const status = await readFile(
      join(h.repo, ".orchestrator", "comments", task.id, "STATUS.md"),
      "utf8",
    );
    expect(status).toContain("Stopped before a call that could cross the budget");
    expect(status).toMatch(/- Next: (S1, implementing|the code review of S1)/);
    expect(status).toContain("orchestrator task TEXT-001 --budget N");

    const answered = await host.engine.command(task.id, {
      command: "budget",
      by: "maintainer",
      amountUsd: 0.5,
    });
    expect(answered.applied).toBe(true);
    doc = await host.engine.run(task.id);
    expect(doc.state).toBe("done");
    expect(doc.limits.budgetUsd).toBe(0.62);
    // Nothing was asked (or paid for) twice.
    const keys = h.replay.requests.map((r) => JSON.stringify(r.tag));
    expect(new Set(keys).size).toBe(keys.length);
    expect(doc.ledger.filter((c) => c.role === "planner")).toHaveLength(1);
    expect(doc.ledger.reduce((s, c) => s + c.costUsd, 0)).toBeLessThanOrEqual(0.62);
  });

  it("a day budget counts what the repository's stored tasks spent today and stops a call that could pass it", async () => {
    const h = await harness();
    const task = await demoTask();
    const first = await h.host({ config: await fastGate(h.repo) });
    await first.engine.start(task);
    const done = await first.engine.run(task.id);
    const spent = done.ledger.reduce((s, c) => s + c.costUsd, 0);
    expect(done.state).toBe("done");

    // A new process: the day's count starts from the stored ledger, not from zero.
    const second = await h.host({ config: await fastGate(h.repo), dayBudgetUsd: spent + 0.01 });
    const again = { ...task, id: "TEXT-002" };
    await second.engine.start(again);
    const doc = await second.engine.run(again.id);
    expect(doc.escalation).toMatchObject({ reason: "budget_reached" });
    expect(doc.escalation?.message).toContain(
      `has spent $${spent.toFixed(4)} of its $${(spent + 0.01).toFixed(4)} budget for 2026-02-03; this call could cost up to $0.1`,
    );
    expect(doc.ledger).toEqual([]);
  });
});

describe("fallback and circuit breakers through the engine", () => {
  /** The demo's replay client, with one model failing the way a provider outage does. */
  function failing(client: LanguageModel, model: string, calls: string[]): LanguageModel {
    return {
      provider: client.provider,
      generate: (request, options) => {
        calls.push(request.model);
        if (request.model === model)
          return Promise.reject(
            new ProviderError({
              provider: client.provider,
              kind: "overloaded",
              status: 503,
              message: "503 UNAVAILABLE: The model is overloaded.",
            }),
          );
        return client.generate(request, options);
      },
    };
  }

  it("an overloaded planner falls back after our retries; the reviewer stays another provider's; its open circuit is passed over later", async () => {
    const h = await harness();
    const calls: string[] = [];
    const clients = h.replay.providers.map((p) =>
      failing(h.replay.client(p), "gemini-3.1-pro-preview", calls),
    );
    const sleeps: number[] = [];
    const host = await h.host({
      config: await fastGate(h.repo),
      clients,
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    });
    const task = await demoTask();
    await host.engine.start(task);
    const doc = await host.engine.run(task.id);
    expect(doc.state).toBe("done");

    const planner = doc.ledger.find((c) => c.role === "planner")!;
    expect(planner.model).toBe("anthropic/claude-sonnet-5-5");
    expect(planner.fallback).toEqual([
      { model: "google/gemini-3.1-pro-preview", reason: expect.stringMatching(/^overloaded: /) },
    ]);
    // The planner's answer came from Sonnet, so Sonnet (and Anthropic) may not review it.
    const reviewer = doc.ledger.find((c) => c.role === "plan_reviewer")!;
    expect(reviewer.model.startsWith("google/")).toBe(true);
    // Six tries (our retry policy), then the circuit opened: the code reviews skipped it.
    expect(calls.filter((m) => m === "gemini-3.1-pro-preview")).toHaveLength(6);
    expect(sleeps).toHaveLength(5);
    const codeReviews = doc.ledger.filter((c) => c.role === "code_reviewer");
    expect(codeReviews.length).toBeGreaterThan(0);
    // Steps are routed from their own risk and size: each review is of another provider than
    // its step's implementer, and the open circuit is passed over where Gemini Pro was listed.
    for (const review of codeReviews) {
      expect(review.model).not.toBe("google/gemini-3.1-pro-preview");
      const step = review.key.split(":")[2];
      const authors = doc.ledger.filter(
        (c) => c.role === "implementer" && c.key.split(":")[2] === step,
      );
      for (const author of authors)
        expect(review.model.split("/")[0]).not.toBe(author.model.split("/")[0]);
      if (review.fallback)
        expect(review.fallback[0]).toEqual({
          model: "google/gemini-3.1-pro-preview",
          reason: "circuit open",
        });
    }
    expect(codeReviews.some((r) => r.fallback?.[0]?.reason === "circuit open")).toBe(true);
    const log = doc.history.map((e) => `${e.category}: ${e.message}`).join("\n");
    expect(log).toMatch(
      /routing: \[planner\] google\/gemini-3\.1-pro-preview did not answer \(overloaded: .*\); anthropic\/claude-sonnet-5-5 answered instead/,
    );
  });

  it("with every candidate for a role down, the task escalates with the reason instead of crashing", async () => {
    const h = await harness();
    const config = await fastGate(h.repo);
    const host = await h.host({
      config: {
        ...config,
        routing: {
          ...config.routing,
          rules: [
            {
              when: {},
              reason: "one planner only",
              planner: ["google/gemini-3.1-pro-preview"],
              implementer: ["anthropic/claude-sonnet-5-5"],
            },
          ],
        },
      },
      clients: h.replay.providers.map((p) =>
        failing(h.replay.client(p), "gemini-3.1-pro-preview", []),
      ),
    });
    const task = await demoTask();
    await host.engine.start(task);
    const doc = await host.engine.run(task.id);
    expect(doc.state).toBe("awaiting_human");
    expect(doc.escalation).toMatchObject({ reason: "provider_error", phase: "planning" });
    expect(doc.escalation?.message).toMatch(/overloaded; kept failing after our retries/);
  });
});

describe("rate limits through the engine", () => {
  it("waits for the provider's token bucket, so no minute sees more calls than the limit allows", async () => {
    const h = await harness();
    let now = FIXED_NOW;
    const clock = { now: () => now };
    const sleep = (ms: number) => {
      now += ms;
      return Promise.resolve();
    };
    const times: number[] = [];
    const clients = h.replay.providers.map((p): LanguageModel => {
      const client = h.replay.client(p);
      return {
        provider: p,
        generate: (request, options) => {
          if (p === "anthropic") times.push(now);
          return client.generate(request, options);
        },
      };
    });
    const traffic = createTraffic({
      now: clock.now,
      rateLimits: { anthropic: { requestsPerMinute: 3 } },
    });
    const host = await h.host({ config: await fastGate(h.repo), clients, clock, sleep, traffic });
    const task = await demoTask();
    await host.engine.start(task);
    const doc = await host.engine.run(task.id);
    expect(doc.state).toBe("done");
    expect(times.length).toBeGreaterThan(6);
    // A bucket of 3 refilled at one call per 20 s: calls i..j need (j - i + 1 - 3) refills.
    for (let i = 0; i < times.length; i++)
      for (let j = i; j < times.length; j++)
        expect(times[j]! - times[i]!).toBeGreaterThanOrEqual((j - i + 1 - 3) * 20_000 - 1);
    expect(now - FIXED_NOW).toBeGreaterThan(0);
  });
});

describe("the context budget through the engine", () => {
  it("fits the context files to a small window, dropping the least relevant first and saying so", async () => {
    const h = await harness();
    const config = await fastGate(h.repo);
    const host = await h.host({
      config: {
        ...config,
        // 8,192 output tokens leave the planner ~160 tokens of window: half of it for context.
        models: { "google/gemini-3.1-pro-preview": { context_window: 8_350 } },
      },
    });
    const task = await demoTask();
    await host.engine.start(task);
    await host.engine.run(task.id);
    const planner = h.replay.requests.find((r) => r.tag.role === "planner")!;
    const prompt = JSON.stringify(planner.messages);
    expect(prompt).toMatch(
      /left out to fit google\/gemini-3\.1-pro-preview's context window, least relevant first: src\/slugify\.js \(~\d+ tokens\), README\.md \(~\d+ tokens\)/,
    );
    expect(prompt).toContain("--- src/index.js ---");
    // The implementer (Sonnet, a 1M window) gets every file.
    const implementer = h.replay.requests.find((r) => r.tag.role === "implementer")!;
    expect(JSON.stringify(implementer.messages)).not.toContain("left out to fit");
  });
});
