import type { Context } from "@opentelemetry/api";
import { Plan, PlanReview } from "../../core/plan/plan.ts";
import { renderPrompt } from "../../core/prompt/render.ts";
import type { TaskDocument } from "../../core/task/document.ts";
import type { Effect } from "../../core/task/effects.ts";
import type { EffectOutcome } from "../../core/task/events.ts";
import type { EngineDeps } from "../deps.ts";
import { structuredAnswer } from "../agents/structured.ts";
import type { Instruments } from "../telemetry.ts";
import { contextFiles, fileList, planText, taskInputs } from "./inputs.ts";
import { reportingCalls } from "./failures.ts";

export async function runPlanner(
  deps: EngineDeps,
  instruments: Instruments,
  ctx: Context,
  doc: TaskDocument,
  effect: Extract<Effect, { kind: "call_planner" }>,
): Promise<EffectOutcome> {
  return reportingCalls(deps.settings.secrets, async (calls) => {
    const tree = await deps.workspace.open({
      task: doc.id,
      branch: doc.branch,
      base: doc.baseCommit,
    });
    const prompt = renderPrompt(deps.prompts.planner, {
      ...taskInputs(doc),
      context: await contextFiles(tree, doc),
      files: await fileList(tree),
      feedback: effect.feedback ?? "(none: this is the first plan)",
    });
    const plan = await structuredAnswer(deps, instruments, ctx, {
      task: doc.id,
      effectKey: effect.key,
      role: "planner",
      modelRef: routeOf(doc, "planner"),
      step: null,
      attempt: doc.planAttempt,
      prompt,
      schema: Plan,
      schemaName: "plan",
      calls,
    });
    return { kind: "plan", plan, calls };
  });
}

export async function runPlanReviewer(
  deps: EngineDeps,
  instruments: Instruments,
  ctx: Context,
  doc: TaskDocument,
  effect: Extract<Effect, { kind: "call_plan_reviewer" }>,
): Promise<EffectOutcome> {
  return reportingCalls(deps.settings.secrets, async (calls) => {
    const prompt = renderPrompt(deps.prompts["plan-reviewer"], {
      ...taskInputs(doc),
      plan: planText(doc),
    });
    const review = await structuredAnswer(deps, instruments, ctx, {
      task: doc.id,
      effectKey: effect.key,
      role: "plan_reviewer",
      modelRef: routeOf(doc, "plan_reviewer"),
      step: null,
      attempt: doc.planReviewAttempt,
      prompt,
      schema: PlanReview,
      schemaName: "plan_review",
      calls,
    });
    return { kind: "plan_review", review, calls };
  });
}

export function routeOf(
  doc: TaskDocument,
  role: "planner" | "plan_reviewer" | "implementer" | "code_reviewer",
): string {
  if (!doc.routing) throw new Error(`task ${doc.id} has no routing`);
  return doc.routing[role].model;
}
