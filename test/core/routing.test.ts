import { describe, expect, it } from "vitest";
import { modelRegistry } from "../../src/config/models.ts";
import { parseRepoConfig } from "../../src/config/parse.ts";
import { InvalidInputError } from "../../src/core/errors.ts";
import { cheapestFor, findModels } from "../../src/core/models/registry.ts";
import {
  mayReview,
  routeTask,
  validateRouting,
  type RoutingContext,
} from "../../src/core/routing/route.ts";
import { DEFAULT_ROUTING, type RoutingConfig } from "../../src/core/routing/rules.ts";
import type { TaskDefinition } from "../../src/core/task/definition.ts";

const task = (risk: TaskDefinition["risk"], area: string): TaskDefinition => ({
  id: "T",
  goal: "g",
  risk,
  area,
  complexity: "medium",
  context_files: [],
  constraints: [],
});
const registry = modelRegistry();
const only = (...providers: string[]): RoutingContext => ({
  providers: new Set(providers),
  registry,
});
const everything = only("anthropic", "google", "openai");
const SONNET = "anthropic/claude-sonnet-5-5";
const OPUS = "anthropic/claude-opus-5-5";
const GEMINI_PRO = "google/gemini-3.1-pro-preview";
const GEMINI_FLASH = "google/gemini-3.5-flash";

const problemsOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as InvalidInputError).problems;
  }
  throw new Error("expected an InvalidInputError");
};

describe("routing", () => {
  it.each([
    ["high", "core", OPUS, SONNET, GEMINI_PRO],
    ["high", "api", GEMINI_PRO, SONNET, SONNET],
    ["medium", "tests", GEMINI_PRO, SONNET, SONNET],
    ["low", "docs", GEMINI_FLASH, GEMINI_FLASH, SONNET],
  ] as const)(
    "%s × %s follows the seed table, reviewers from another provider",
    (risk, area, planner, implementer, planReviewer) => {
      const r = routeTask(DEFAULT_ROUTING, task(risk, area), everything);
      expect(r.planner.model).toBe(planner);
      expect(r.implementer.model).toBe(implementer);
      expect(r.plan_reviewer.model).toBe(planReviewer);
      for (const [author, reviewer] of [
        [r.planner, r.plan_reviewer],
        [r.implementer, r.code_reviewer],
      ] as const) {
        expect(reviewer.model.split("/")[0]).not.toBe(author.model.split("/")[0]);
        expect(reviewer.sameProvider).toBeUndefined();
        expect(reviewer.rationale).toContain(`reviews ${author.model}`);
      }
    },
  );

  it.each([["anthropic"], ["google"], ["openai"]])(
    "works with only %s configured: reviewers are other models of that provider, and say so",
    (provider) => {
      for (const risk of ["low", "medium", "high"] as const) {
        const r = routeTask(DEFAULT_ROUTING, task(risk, "core"), only(provider));
        for (const decision of Object.values(r))
          expect(decision.model.startsWith(`${provider}/`)).toBe(true);
        for (const [author, reviewer] of [
          [r.planner, r.plan_reviewer],
          [r.implementer, r.code_reviewer],
        ] as const) {
          expect(reviewer.model).not.toBe(author.model);
          expect(reviewer.sameProvider).toBe(true);
          expect(reviewer.rationale).toContain(
            `No reviewer from another provider is configured, so another ${provider} model reviews`,
          );
          expect(reviewer.fallbacks ?? []).not.toContain(author.model);
        }
      }
    },
  );

  it("keeps refusing a single provider when cross_review.strict is on, naming the role", () => {
    const strict: RoutingConfig = {
      ...DEFAULT_ROUTING,
      cross_review: { different_provider: true, strict: true },
    };
    const problems = problemsOf(() => routeTask(strict, task("high", "core"), only("anthropic")));
    expect(problems[0]?.path).toBe("routing.plan_reviewer");
    expect(problems[0]?.message).toContain("routing.cross_review.strict is on");
  });

  it("skips models without a price or behind an open breaker, and keeps the rest as fallbacks in order", () => {
    const r = routeTask(DEFAULT_ROUTING, task("high", "core"), {
      ...everything,
      registry: {
        ...registry,
        models: new Map([...registry.models].filter(([ref]) => ref !== OPUS)),
      },
      unavailable: new Map([["openai/gpt-6.2-sol", "circuit open"]]),
    });
    expect(r.planner.model).toBe(GEMINI_PRO);
    expect(r.planner.rationale).toContain(`${OPUS} (no known price)`);
    expect(r.planner.rationale).toContain("openai/gpt-6.2-sol (circuit open)");
    expect(r.implementer.fallbacks).toEqual([GEMINI_PRO]);
  });

  it("chooses by capability among configured providers when the rule lists none of them (a local model)", () => {
    const local = modelRegistry({
      "ollama/qwen3-coder:30b": {
        tier: "standard",
        capabilities: ["code", "planning", "review"],
        context_window: 262_144,
        max_output: 32_768,
        cache: "implicit",
        price: { input: 0, output: 0, cache_read: 0, cache_write: 0 },
        local: true,
      },
      "ollama/gpt-oss:20b": {
        tier: "fast",
        capabilities: ["review", "planning"],
        context_window: 131_072,
        max_output: 32_768,
        cache: "implicit",
        price: { input: 0, output: 0, cache_read: 0, cache_write: 0 },
        local: true,
      },
    });
    const r = routeTask(DEFAULT_ROUTING, task("medium", "core"), {
      providers: new Set(["ollama"]),
      registry: local,
    });
    expect(r.implementer.model).toBe("ollama/qwen3-coder:30b");
    expect(r.implementer.rationale).toContain('chosen by capability "code"');
    expect(r.code_reviewer.model).toBe("ollama/gpt-oss:20b");
    expect(r.code_reviewer.sameProvider).toBe(true);
  });

  it("escalation material: with no provider at all the error names the role and what is configured", () => {
    const problems = problemsOf(() => routeTask(DEFAULT_ROUTING, task("low", "docs"), only()));
    expect(problems[0]?.path).toBe("routing.planner");
    expect(problems[0]?.message).toContain("provider not configured");
    expect(problems[0]?.message).toContain("configured providers: none");
  });

  it("the default table passes the static cross-review check, strict or not", () => {
    expect(validateRouting(DEFAULT_ROUTING)).toEqual([]);
    expect(
      validateRouting({
        ...DEFAULT_ROUTING,
        cross_review: { different_provider: true, strict: true },
      }),
    ).toEqual([]);
  });

  it("a config where a role has no eligible reviewer is an error naming the role", () => {
    const config: RoutingConfig = {
      ...DEFAULT_ROUTING,
      rules: [
        {
          when: {},
          reason: "all",
          planner: [SONNET],
          implementer: [GEMINI_PRO],
          code_reviewer: [GEMINI_PRO],
        },
      ],
      reviewers: [SONNET],
    };
    const problems = validateRouting(config);
    expect(problems.map((p) => p.path)).toEqual([
      "routing.rules.0.plan_reviewer",
      "routing.rules.0.code_reviewer",
    ]);
    expect(problems[1]?.message).toContain("role code_reviewer has no eligible reviewer");
    const strict = validateRouting({
      ...config,
      rules: [{ ...config.rules[0]!, code_reviewer: [SONNET], plan_reviewer: [OPUS] }],
      cross_review: { different_provider: true, strict: true },
    });
    expect(strict.map((p) => p.path)).toEqual(["routing.rules.0.plan_reviewer"]);
    expect(mayReview(config, SONNET, OPUS)).toBe(false);
    expect(mayReview(config, SONNET, OPUS, true)).toBe(true);
    expect(mayReview(config, SONNET, SONNET, true)).toBe(false);
  });
});

describe("the model registry", () => {
  it("lists models by capability, tier and maximum input price, cheapest first", () => {
    const fastReviewers = findModels(registry, { capability: "review", tier: "fast" });
    expect(fastReviewers.length).toBeGreaterThanOrEqual(3);
    expect(fastReviewers.every((m) => m.tier === "fast" && m.capabilities.includes("review"))).toBe(
      true,
    );
    const prices = fastReviewers.map((m) => m.price.input + m.price.output);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    expect(
      findModels(registry, { capability: "complex_reasoning", maxInputPrice: 2 }).every(
        (m) => m.price.input <= 2 && m.capabilities.includes("complex_reasoning"),
      ),
    ).toBe(true);
    expect(cheapestFor(registry, "planning", new Set(["anthropic"]))?.ref).toBe(SONNET);
  });

  it("an unknown model in a config is an error naming it and the known ones", () => {
    const problems = problemsOf(() =>
      parseRepoConfig(
        `routing:\n  reviewers: [anthropic/claude-sonnet-9]\n  rules:\n    - reason: all\n      planner: [${SONNET}]\n      implementer: [${SONNET}]\n`,
        "config.yaml",
      ),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe("routing.reviewers.0");
    expect(problems[0]?.message).toContain("unknown model anthropic/claude-sonnet-9");
    expect(problems[0]?.message).toContain(GEMINI_PRO);
  });

  it("a model added by config needs every field; a known one may change only some", () => {
    const problems = problemsOf(() =>
      parseRepoConfig(
        "models:\n  ollama/llama9:\n    tier: fast\n  google/gemini-3.5-flash:\n    context_window: 500000\n",
        "config.yaml",
      ),
    );
    expect(problems.map((p) => p.path)).toEqual(["models.ollama/llama9"]);
    expect(problems[0]?.message).toContain("capabilities");
    const config = parseRepoConfig(
      "models:\n  google/gemini-3.5-flash:\n    context_window: 500000\n",
      "config.yaml",
    );
    expect(modelRegistry(config.models).models.get(GEMINI_FLASH)?.contextWindow).toBe(500_000);
  });

  it("a repository on the App may raise a known model's price but not lower it", async () => {
    const { parseConfig } = await import("../../src/config/parse.ts");
    const { AppRepoConfig } = await import("../../src/config/app-config.ts");
    const text = (input: number) =>
      `models:\n  ${SONNET}:\n    price: { input: ${input}, output: 10, cache_read: 0.1, cache_write: 2.5 }\n`;
    const problems = problemsOf(() =>
      parseConfig(AppRepoConfig, text(0.5), "orchestrator.yml", { mayLowerPrices: false }),
    );
    expect(problems[0]?.path).toBe(`models.${SONNET}.price`);
    expect(problems[0]?.message).toContain("input below the list price");
    expect(() =>
      parseConfig(AppRepoConfig, text(3), "orchestrator.yml", { mayLowerPrices: false }),
    ).not.toThrow();
  });
});

describe("routing that learns from records", () => {
  const HAIKU = "anthropic/claude-haiku-5-5";
  const SOL = "openai/gpt-6.2-sol";
  const withEvidence = (
    byRole: Partial<Record<string, Record<string, [number, number]>>>,
  ): RoutingContext => ({
    ...everything,
    learning: {
      evidence: (role) => ({
        arms: new Map(
          Object.entries(byRole[role] ?? {}).map(([m, [s, f]]) => [
            m,
            {
              inClass: { successes: s, failures: f },
              elsewhere: { successes: 0, failures: 0 },
              installation: { successes: 0, failures: 0 },
              drifted: false,
              costUsd: 0.01,
              costTasks: s + f,
            },
          ]),
        ),
        classShift: 0,
        classStrength: 20,
      }),
      random: () => 0.99,
    },
  });
  const learningConfig = (strategy: RoutingConfig["strategy"]): RoutingConfig => ({
    ...DEFAULT_ROUTING,
    strategy,
  });

  it("baseline, or no records given: the rule table decides, as before", () => {
    const context = withEvidence({ implementer: { [HAIKU]: [50, 0], [GEMINI_FLASH]: [0, 50] } });
    expect(routeTask(DEFAULT_ROUTING, task("low", "docs"), context).implementer.model).toBe(
      GEMINI_FLASH,
    );
    expect(
      routeTask(learningConfig("performance"), task("low", "docs"), everything).implementer.model,
    ).toBe(GEMINI_FLASH);
  });

  it("performance: the candidate that succeeds, with the decision's strategy and confidence in the rationale; the table's choice stays a fallback", () => {
    const context = withEvidence({ implementer: { [HAIKU]: [40, 2], [GEMINI_FLASH]: [10, 30] } });
    const r = routeTask(learningConfig("performance"), task("low", "docs"), context);
    expect(r.implementer.model).toBe(HAIKU);
    expect(r.implementer.rationale).toMatch(
      /performance: the highest expected success \(expected success 9\d % from 42\.0 task\(s\), \$0\.0100 per task as recorded in 42\.0 task\(s\)\), confidence 0\.\d+; effort medium \(risk low, complexity medium\); per step from the step's risk and size$/,
    );
    expect(r.implementer.fallbacks).toContain(GEMINI_FLASH);
    // The reviewer is still of another provider than the implementer.
    expect(r.code_reviewer.model.startsWith("anthropic/")).toBe(false);
  });

  it("high risk never goes below the table choice's tier, whatever the records say", () => {
    const context = withEvidence({
      planner: { [GEMINI_PRO]: [0, 40], [SOL]: [0, 40], [OPUS]: [0, 40] },
    });
    const r = routeTask(learningConfig("cost"), task("high", "core"), context);
    const tier = (m: string) => registry.models.get(m)?.tier;
    expect(tier(r.planner.model)).toBe(tier(OPUS));
  });
});
