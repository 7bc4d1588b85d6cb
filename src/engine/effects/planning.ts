import type { CallRecord } from "../../core/cost/ledger.ts";
import { effortOutputFactor, estimatePlanCost, type CostRange } from "../../core/cost/estimate.ts";
import { callEffort, effortFor } from "../../core/routing/effort.ts";
import { Plan, PlanReview } from "../../core/plan/plan.ts";
import { renderPrompt } from "../../core/prompt/render.ts";
import type { TaskDocument } from "../../core/task/document.ts";
import type { Effect } from "../../core/task/effects.ts";
import type { EffectOutcome } from "../../core/task/events.ts";
import { structuredAnswer } from "../agents/structured.ts";
import { similarTasks, similarTasksText } from "../../core/learning/similar.ts";
import { renderKnowledge } from "../../core/learning/knowledge.ts";
import { reportingCalls } from "./failures.ts";
import { contextFiles, contextLimitFor, planText, taskInputs } from "./inputs.ts";
import { repositoryMap } from "./repo-map.ts";
import { allConventions, repositoryInstructions } from "./instructions.ts";
import { callSite } from "./call-site.ts";
import type { RunnerContext } from "./runner-context.ts";

export async function runPlanner(
  ctx: Pick<
    RunnerContext,
    "workspace" | "prompts" | "caller" | "settings" | "registry" | "records"
  >,
  doc: TaskDocument,
  effect: Extract<Effect, { kind: "call_planner" }>,
): Promise<EffectOutcome> {
  return reportingCalls(async (calls) => {
    const tree = await ctx.workspace.open({
      task: doc.id,
      branch: doc.branch,
      base: doc.baseCommit,
    });
    const records = await ctx.records();
    const limit = contextLimitFor(ctx, doc, "planner");
    const prompt = renderPrompt(ctx.prompts.planner, {
      ...taskInputs(doc),
      context: (await contextFiles(tree, doc.definition.context_files, limit)).text,
      files: await repositoryMap(tree, doc.baseCommit ?? (await tree.head()), limit.countTokens),
      conventions: allConventions(await repositoryInstructions(tree, doc), limit.countTokens),
      feedback: effect.feedback ?? "(none: this is the first plan)",
      history: similarTasksText(
        similarTasks(records.tasks, {
          goal: doc.definition.goal,
          area: doc.definition.area,
          exclude: doc.id,
        }),
      ),
      knowledge: renderKnowledge(records.tasks),
    });
    const call = ctx.caller.at(
      callSite(doc, {
        effectKey: effect.key,
        role: "planner",
        step: null,
        attempt: doc.planAttempt,
        prompt: prompt.prompt,
      }),
    );
    const plan = await structuredAnswer(call, {
      role: "planner",
      prompt,
      schema: Plan,
      schemaName: "plan",
      maxOutputTokens: ctx.settings.maxOutputTokens,
      calls,
    });
    return { kind: "plan", plan, calls, ...planEstimate(ctx, doc, plan, calls) };
  });
}

export async function runPlanReviewer(
  ctx: Pick<RunnerContext, "workspace" | "prompts" | "caller" | "settings" | "registry">,
  doc: TaskDocument,
  effect: Extract<Effect, { kind: "call_plan_reviewer" }>,
): Promise<EffectOutcome> {
  return reportingCalls(async (calls) => {
    const tree = await ctx.workspace.open({
      task: doc.id,
      branch: doc.branch,
      base: doc.baseCommit,
    });
    const limit = contextLimitFor(ctx, doc, "plan_reviewer");
    const prompt = renderPrompt(ctx.prompts["plan-reviewer"], {
      ...taskInputs(doc),
      plan: planText(doc),
      conventions: allConventions(await repositoryInstructions(tree, doc), limit.countTokens),
    });
    const call = ctx.caller.at(
      callSite(doc, {
        effectKey: effect.key,
        role: "plan_reviewer",
        step: null,
        attempt: doc.planReviewAttempt,
        prompt: prompt.prompt,
      }),
    );
    const review = await structuredAnswer(call, {
      role: "plan_reviewer",
      prompt,
      schema: PlanReview,
      schemaName: "plan_review",
      maxOutputTokens: ctx.settings.maxOutputTokens,
      calls,
    });
    return { kind: "plan_review", review, calls };
  });
}

/** The plan's cost range at the routed implementer's and reviewer's prices (none if unpriced). */
function planEstimate(
  ctx: Pick<RunnerContext, "settings" | "registry">,
  doc: TaskDocument,
  plan: Plan,
  calls: readonly CallRecord[],
): { estimate?: CostRange } {
  const implementer = doc.routing && ctx.registry.models.get(doc.routing.implementer.model);
  const reviewer = doc.routing && ctx.registry.models.get(doc.routing.code_reviewer.model);
  const prompt = calls[0]?.usage.input;
  if (!implementer || !reviewer || !prompt) return {};
  return {
    estimate: estimatePlanCost({
      steps: plan.steps.length,
      promptTokens: prompt.noCache + prompt.cacheRead + prompt.cacheWrite,
      implementer: implementer.price,
      reviewer: reviewer.price,
      stepReviewRounds: doc.limits.stepReviewRounds,
      gateAttempts: doc.limits.gateAttempts,
      // Each step at the effort its calls will get (core/routing/effort.ts).
      effort: plan.steps.map((step) => {
        const factor = (role: "implementer" | "code_reviewer", model: typeof implementer) =>
          effortOutputFactor(
            effortFor(model, doc.routing ? callEffort(doc.routing[role], role, step) : undefined),
            model.effort,
          );
        return {
          implementer: factor("implementer", implementer),
          reviewer: factor("code_reviewer", reviewer),
        };
      }),
    }),
  };
}
