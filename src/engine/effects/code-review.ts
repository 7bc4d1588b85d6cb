import type { Context } from "@opentelemetry/api";
import { CodeReview } from "../../core/plan/plan.ts";
import { renderPrompt } from "../../core/prompt/render.ts";
import type { TaskDocument } from "../../core/task/document.ts";
import type { Effect } from "../../core/task/effects.ts";
import type { EffectOutcome } from "../../core/task/events.ts";
import { structuredAnswer } from "../agents/structured.ts";
import type { EngineDeps } from "../deps.ts";
import type { Instruments } from "../telemetry.ts";
import { reportingCalls } from "./failures.ts";
import { taskInputs } from "./inputs.ts";
import { routeOf } from "./planning.ts";

const MAX_DIFF = 80_000;

/** Reviews a step's whole diff, from the branch head before the step to its last commit. */
export async function runCodeReview(
  deps: EngineDeps,
  instruments: Instruments,
  ctx: Context,
  doc: TaskDocument,
  effect: Extract<Effect, { kind: "call_code_reviewer" }>,
): Promise<EffectOutcome> {
  const step = doc.steps[effect.step];
  if (!step) throw new Error(`task ${doc.id} has no step ${effect.step}`);
  return reportingCalls(deps.settings.secrets, async (calls) => {
    const tree = await deps.workspace.open({
      task: doc.id,
      branch: doc.branch,
      base: doc.baseCommit,
    });
    const head = step.commits.at(-1) ?? (await tree.head());
    const diff = await tree.diff({ from: step.baseCommit ?? doc.baseCommit ?? head, to: head });
    const prompt = renderPrompt(deps.prompts["code-reviewer"], {
      ...taskInputs(doc),
      step: `${step.id} (${step.type}): ${step.description}\nTests required: ${step.testsRequired ? "yes" : "no"}`,
      diff: diff.length > MAX_DIFF ? `${diff.slice(0, MAX_DIFF)}\n… (diff truncated)` : diff,
    });
    const review = await structuredAnswer(deps, instruments, ctx, {
      task: doc.id,
      effectKey: effect.key,
      role: "code_reviewer",
      modelRef: routeOf(doc, "code_reviewer"),
      step: step.id,
      attempt: step.reviewAttempt,
      prompt,
      schema: CodeReview,
      schemaName: "code_review",
      calls,
    });
    return { kind: "code_review", review, calls };
  });
}
