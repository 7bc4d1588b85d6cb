// The implementer is routed per step (issue 20 §2): a step's own risk and size pick its
// implementer and reviewer from the rules, not the task's once for every step.
import { describe, expect, it } from "vitest";
import { modelRegistry } from "../../src/config/models.ts";
import { callCandidates } from "../../src/core/routing/candidates.ts";
import { routeSteps, routeTask, stepClass } from "../../src/core/routing/route.ts";
import { DEFAULT_ROUTING } from "../../src/core/routing/rules.ts";
import type { TaskDefinition } from "../../src/core/task/definition.ts";
import type { TaskDocument } from "../../src/core/task/document.ts";
import { AT, call, implementing, newDoc, settle, step } from "../fakes/machine.ts";

const registry = modelRegistry();
const context = { providers: new Set(["anthropic", "google", "openai"]), registry };
const SONNET = "anthropic/claude-sonnet-5-5";
const FLASH = "google/gemini-3.5-flash";
const definition: TaskDefinition = newDoc().definition;

describe("routing per step", () => {
  const own = routeTask(DEFAULT_ROUTING, definition, context);
  const steps = routeSteps(DEFAULT_ROUTING, definition, context, own);

  it("routes the step classes the rules decide differently from the task, and only those", () => {
    expect(definition).toMatchObject({ risk: "medium", complexity: "small" });
    expect(own.implementer.model).toBe(SONNET);
    // Low-risk steps: the low-risk rule's implementer, reviewed from another provider.
    expect(steps[stepClass({ risk: "low", complexity: "small" })]).toMatchObject({
      implementer: { model: FLASH, effort: "low" },
      code_reviewer: { model: SONNET },
    });
    // Medium-risk steps of another size keep the task's models (not stored).
    expect(steps["medium/large"]).toBeUndefined();
  });

  it("each step's calls go to its class's models, with their fallbacks; other roles stay the task's", () => {
    // PLAN: S1 medium/small (the task's class), S2 low/small.
    let doc: TaskDocument = settle(
      step(newDoc(), { type: "start", at: AT, routing: own, stepRouting: steps, baseCommit: "b" }),
    );
    expect(doc.stepRouting).toEqual(steps);
    doc = implementing(newDoc());
    doc = { ...doc, routing: own, stepRouting: steps };
    expect(callCandidates(doc, "implementer", "S1")[0]).toBe(SONNET);
    expect(callCandidates(doc, "implementer", "S2")[0]).toBe(FLASH);
    expect(callCandidates(doc, "implementer", null)[0]).toBe(SONNET);
    expect(callCandidates(doc, "planner", "S2")[0]).toBe(own.planner.model);
  });

  it("a step's reviewer excludes that step's implementer, not another step's", () => {
    const doc: TaskDocument = {
      ...implementing(newDoc()),
      routing: own,
      stepRouting: steps,
      ledger: [
        { ...call("T1:implementing:S1:1:implement#0", "implementer"), model: SONNET },
        { ...call("T1:implementing:S2:1:implement#0", "implementer"), model: FLASH },
      ],
    };
    // S2 was written by Flash: Sonnet (S1's author) may review it.
    expect(callCandidates(doc, "code_reviewer", "S2")[0]).toBe(SONNET);
    // S1 was written by Sonnet: not Sonnet, nor (another provider being configured) Anthropic.
    expect(callCandidates(doc, "code_reviewer", "S1")).not.toContain(SONNET);
  });
});
