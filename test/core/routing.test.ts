import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/core/errors.ts";
import { DEFAULT_PRICES } from "../../src/core/cost/prices.ts";
import { mayReview, routeTask, validateRouting } from "../../src/core/routing/route.ts";
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
const everything = {
  providers: new Set(["anthropic", "google"]),
  priced: new Set(Object.keys(DEFAULT_PRICES.models)),
};

describe("routing", () => {
  it.each([
    [
      "high",
      "core",
      "anthropic/claude-sonnet-4-5",
      "anthropic/claude-sonnet-4-5",
      "google/gemini-2.5-pro",
    ],
    [
      "high",
      "api",
      "google/gemini-2.5-pro",
      "anthropic/claude-sonnet-4-5",
      "anthropic/claude-sonnet-4-5",
    ],
    [
      "medium",
      "tests",
      "google/gemini-2.5-pro",
      "google/gemini-2.5-pro",
      "anthropic/claude-sonnet-4-5",
    ],
    [
      "low",
      "docs",
      "google/gemini-2.5-flash",
      "google/gemini-2.5-flash",
      "anthropic/claude-sonnet-4-5",
    ],
  ] as const)(
    "%s × %s follows the seed table",
    (risk, area, planner, implementer, planReviewer) => {
      const r = routeTask(DEFAULT_ROUTING, task(risk, area), everything);
      expect(r.planner.model).toBe(planner);
      expect(r.implementer.model).toBe(implementer);
      expect(r.plan_reviewer.model).toBe(planReviewer);
      expect(mayReview(DEFAULT_ROUTING, r.implementer.model, r.code_reviewer.model)).toBe(true);
      expect(r.code_reviewer.rationale).toContain(`reviews ${implementer}`);
    },
  );

  it("skips unavailable and unpriced models and says so", () => {
    const r = routeTask(DEFAULT_ROUTING, task("high", "core"), {
      providers: new Set(["google", "anthropic"]),
      priced: new Set(["google/gemini-2.5-pro", "anthropic/claude-haiku-4-5"]),
    });
    expect(r.planner.model).toBe("google/gemini-2.5-pro");
    expect(r.planner.rationale).toContain("anthropic/claude-sonnet-4-5 (no known price)");
    expect(r.plan_reviewer.model).toBe("anthropic/claude-haiku-4-5");
  });

  it("refuses to route when no reviewer from another provider is available, naming the role", () => {
    try {
      routeTask(DEFAULT_ROUTING, task("high", "core"), {
        providers: new Set(["anthropic"]),
        priced: everything.priced,
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).problems[0]?.path).toBe("routing.plan_reviewer");
    }
  });

  it("the default table passes the static cross-review check", () => {
    expect(validateRouting(DEFAULT_ROUTING)).toEqual([]);
  });

  it("a config where a role has no eligible reviewer is an error naming the role", () => {
    const config: RoutingConfig = {
      ...DEFAULT_ROUTING,
      rules: [
        {
          when: {},
          reason: "all",
          planner: ["anthropic/claude-sonnet-4-5"],
          implementer: ["google/gemini-2.5-pro"],
          code_reviewer: ["google/gemini-2.5-flash"],
        },
      ],
      reviewers: ["anthropic/claude-haiku-4-5"],
    };
    const problems = validateRouting(config);
    expect(problems.map((p) => p.path)).toEqual([
      "routing.rules.0.plan_reviewer",
      "routing.rules.0.code_reviewer",
    ]);
    expect(problems[1]?.message).toContain("role code_reviewer has no eligible reviewer");
    expect(
      validateRouting({ ...config, cross_review: { different_provider: false } }).map(
        (p) => p.path,
      ),
    ).toEqual([]);
  });
});
