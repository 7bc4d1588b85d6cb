import type { TaskDocument } from "../../core/task/document.ts";
import type { Effect } from "../../core/task/effects.ts";
import type { EffectOutcome } from "../../core/task/events.ts";
import { reviewAnswer } from "../../core/report/review.ts";
import { inSpan } from "../telemetry.ts";
import { runCodeReview } from "./code-review.ts";
import { runImplement } from "./implement.ts";
import { runPlanner, runPlanReviewer } from "./planning.ts";
import { templatedBody } from "./pull-request-body.ts";
import type { RunnerContext } from "./runner-context.ts";

/**
 * Runs one effect of the outbox through the ports, inside its span. `firstAttempt` is true when
 * this effect was created in this run and so never tried before: a port may then skip looking
 * for an earlier result.
 */
export async function runEffect(
  ctx: RunnerContext,
  doc: TaskDocument,
  effect: Effect,
  firstAttempt: boolean,
): Promise<EffectOutcome> {
  const task = { "task.id": doc.id };
  switch (effect.kind) {
    case "call_planner":
      return inSpan(ctx.tracer, "task.plan", task, () => runPlanner(ctx, doc, effect));
    case "call_plan_reviewer":
      return inSpan(ctx.tracer, "task.review_plan", task, () => runPlanReviewer(ctx, doc, effect));
    case "implement_step":
    case "call_code_reviewer": {
      const attributes = {
        ...task,
        "step.id": doc.steps[effect.step]?.id ?? "",
        "step.phase": effect.kind === "implement_step" ? effect.role : "code_review",
      };
      return inSpan(ctx.tracer, "step.run", attributes, () =>
        effect.kind === "implement_step"
          ? runImplement(ctx, doc, effect)
          : runCodeReview(ctx, doc, effect),
      );
    }
    case "run_gate":
      return inSpan(ctx.tracer, "quality_gate.run", task, async (span) => {
        const commit = doc.headCommit ?? "";
        const result = await ctx.gate.run({ task: doc.id, branch: doc.branch, commit });
        if ("pending" in result) {
          span.setAttribute("quality_gate.pending", true);
          return { kind: "gate_pending", commit };
        }
        ctx.instruments.gateRuns.add(1, { passed: String(result.passed) });
        span.setAttribute("quality_gate.passed", result.passed);
        return { kind: "gate", result };
      });
    case "rerun_checks":
      return inSpan(ctx.tracer, "quality_gate.rerun", task, async () => {
        const answer = ctx.gate.rerun
          ? await ctx.gate.rerun({ task: doc.id, commit: effect.commit, checks: effect.checks })
          : { refused: "this host cannot run checks again" };
        return "refused" in answer
          ? { kind: "rerun_refused", reason: answer.refused }
          : { kind: "gate_pending", commit: effect.commit };
      });
    case "post_comment":
      await ctx.tracker.ensureComment({
        task: doc.id,
        key: effect.key,
        topic: effect.topic,
        body: effect.body,
      });
      return { kind: "done" };
    case "update_status":
      await ctx.tracker.updateStatus({
        task: doc.id,
        body: effect.body,
        ...(effect.state === undefined ? {} : { state: effect.state }),
      });
      return { kind: "done" };
    case "sync_pull_request": {
      const { ref, readBack } = await ctx.codeHost.ensurePullRequest({
        task: doc.id,
        branch: doc.branch,
        title: effect.title,
        body: await templatedBody(ctx, doc, effect.body),
        draft: effect.draft,
        firstAttempt,
        ...(doc.pullRequest === null ? {} : { known: doc.pullRequest }),
        ...(effect.verify === true ? { verify: true } : {}),
      });
      return { kind: "pull_request", ref, ...(readBack ? { readBack } : {}) };
    }
    case "post_review":
      if (doc.pullRequest !== null)
        await ctx.codeHost.postReview?.({
          task: doc.id,
          key: effect.key,
          known: doc.pullRequest,
          branch: doc.branch,
          commit: effect.commit,
          body: effect.body,
          comments: effect.comments ?? [],
          firstAttempt,
        });
      return { kind: "done" };
    case "answer_review":
      if (doc.pullRequest !== null)
        await ctx.codeHost.answerReview?.({
          task: doc.id,
          key: effect.key,
          known: doc.pullRequest,
          branch: doc.branch,
          comments: effect.comments,
          body: reviewAnswer(
            effect.commit,
            doc.steps.find((s) => s.answers?.review === effect.review)?.id ?? "a review round",
          ),
          firstAttempt,
        });
      return { kind: "done" };
    case "report_check":
      await ctx.codeHost.reportCheck({
        task: doc.id,
        key: effect.key,
        commit: effect.commit,
        title: effect.title,
        summary: effect.summary,
        conclusion: effect.conclusion ?? "neutral",
        firstAttempt,
      });
      return { kind: "done" };
  }
}
