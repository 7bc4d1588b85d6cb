import { CodeReview } from "../../core/plan/plan.ts";
import { renderPrompt } from "../../core/prompt/render.ts";
import type { TaskDocument } from "../../core/task/document.ts";
import type { Effect } from "../../core/task/effects.ts";
import type { EffectOutcome, GuardSummary } from "../../core/task/events.ts";
import { parseDiff } from "../../core/policy/diff.ts";
import { placeComments } from "../../core/report/review-comments.ts";
import { guardStep, scopeExceeded, summariseGuard } from "../../core/policy/step-guard.ts";
import { structuredAnswer } from "../agents/structured.ts";
import { reportingCalls } from "./failures.ts";
import { contextLimitFor, taskInputs } from "./inputs.ts";
import { repositoryInstructions, stepConventions, wideConventions } from "./instructions.ts";
import { callSite } from "./call-site.ts";
import type { RunnerContext } from "./runner-context.ts";

const MAX_DIFF = 80_000;

/** The guard's findings as the reviewer reads them. */
function guardFindings(guard: GuardSummary): string {
  const section = (title: string, items: readonly string[]): string =>
    items.length > 0 ? `${title}:\n${items.map((i) => `- ${i}`).join("\n")}` : "";
  return (
    [
      section("Changes outside the step's planned files", guard.outsidePlan),
      section("Changes that weaken the checks (each must be undone)", guard.weakening),
    ]
      .filter(Boolean)
      .join("\n\n") || "none"
  );
}

/** Reviews a step's whole diff, from the branch head before the step to its last commit. */
export async function runCodeReview(
  ctx: Pick<RunnerContext, "workspace" | "prompts" | "caller" | "settings" | "registry">,
  doc: TaskDocument,
  effect: Extract<Effect, { kind: "call_code_reviewer" }>,
): Promise<EffectOutcome> {
  const step = doc.steps[effect.step];
  if (!step) throw new Error(`task ${doc.id} has no step ${effect.step}`);
  return reportingCalls(async (calls) => {
    const tree = await ctx.workspace.open({
      task: doc.id,
      branch: doc.branch,
      base: doc.baseCommit,
    });
    const head = step.commits.at(-1) ?? (await tree.head());
    const diff = await tree.diff({ from: step.baseCommit ?? doc.baseCommit ?? head, to: head });
    const changes = parseDiff(diff);
    const guard = summariseGuard(guardStep(step.files, changes));
    if (scopeExceeded(guard, doc.limits.unplannedLines, step.scopeApproved === true))
      return { kind: "scope_exceeded", guard };
    const { countTokens } = contextLimitFor(ctx, doc, "code_reviewer", step.id);
    const instructions = await repositoryInstructions(tree, doc);
    const changed = parseDiff(diff).map((f) => f.path);
    const prompt = renderPrompt(ctx.prompts["code-reviewer"], {
      ...taskInputs(doc),
      step: `${step.id} (${step.type}): ${step.description}\nPlanned files: ${step.files.join(", ") || "not limited (a fix)"}\nTests required: ${step.testsRequired ? "yes" : "no"}`,
      diff: diff.length > MAX_DIFF ? `${diff.slice(0, MAX_DIFF)}\n… (diff truncated)` : diff,
      findings: guardFindings(guard),
      conventions: wideConventions(instructions, countTokens),
      step_conventions: stepConventions(instructions, [...step.files, ...changed], countTokens),
    });
    const call = ctx.caller.at(
      callSite(doc, {
        effectKey: effect.key,
        role: "code_reviewer",
        step: step.id,
        attempt: step.reviewAttempt,
        prompt: prompt.prompt,
      }),
    );
    const review = await structuredAnswer(call, {
      role: "code_reviewer",
      prompt,
      schema: CodeReview,
      schemaName: "code_review",
      maxOutputTokens: ctx.settings.maxOutputTokens,
      calls,
    });
    const stats = changes.map((c) => ({
      path: c.path,
      additions: c.added.length,
      deletions: c.removed.length,
    }));
    return { kind: "code_review", review: placeComments(review, changes), calls, guard, stats };
  });
}
