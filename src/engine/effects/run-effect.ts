import type { Context } from "@opentelemetry/api";
import type { TaskDocument } from "../../core/task/document.ts";
import type { Effect } from "../../core/task/effects.ts";
import type { EffectOutcome } from "../../core/task/events.ts";
import { redactSecrets } from "../../core/text/redact.ts";
import type { EngineDeps } from "../deps.ts";
import { inSpan, type Instruments } from "../telemetry.ts";
import { runCodeReview } from "./code-review.ts";
import { runImplement } from "./implement.ts";
import { runPlanner, runPlanReviewer } from "./planning.ts";

/** Runs one effect of the outbox through the ports, inside its span. */
export async function runEffect(
  deps: EngineDeps,
  instruments: Instruments,
  ctx: Context,
  doc: TaskDocument,
  effect: Effect,
  /** True when this effect was created in this run and so never tried before. */
  firstAttempt = false,
): Promise<EffectOutcome> {
  const secrets = deps.settings.secrets;
  switch (effect.kind) {
    case "call_planner":
      return inSpan(deps.tracer, "task.plan", ctx, { "task.id": doc.id }, (c) =>
        runPlanner(deps, instruments, c, doc, effect),
      );
    case "call_plan_reviewer":
      return inSpan(deps.tracer, "task.review_plan", ctx, { "task.id": doc.id }, (c) =>
        runPlanReviewer(deps, instruments, c, doc, effect),
      );
    case "implement_step":
    case "call_code_reviewer": {
      const step = doc.steps[effect.step];
      const attributes = {
        "task.id": doc.id,
        "step.id": step?.id ?? "",
        "step.phase": effect.kind === "implement_step" ? effect.role : "code_review",
      };
      return inSpan(deps.tracer, "step.run", ctx, attributes, (c) =>
        effect.kind === "implement_step"
          ? runImplement(deps, instruments, c, doc, effect)
          : runCodeReview(deps, instruments, c, doc, effect),
      );
    }
    case "run_gate":
      return inSpan(
        deps.tracer,
        "quality_gate.run",
        ctx,
        { "task.id": doc.id },
        async (_c, span) => {
          const result = await deps.gate.run({
            task: doc.id,
            branch: doc.branch,
            commit: doc.headCommit ?? "",
          });

          const commit = doc.headCommit ?? "";
          if ("pending" in result) {
            span.setAttribute("quality_gate.pending", true);
            return { kind: "gate_pending", commit };
          }
          instruments.gateRuns.add(1, { passed: String(result.passed) });
          span.setAttribute("quality_gate.passed", result.passed);
          return { kind: "gate", result };
        },
      );
    case "post_comment":
      await deps.tracker.ensureComment({
        task: doc.id,
        key: effect.key,
        topic: effect.topic,
        body: redactSecrets(effect.body, secrets),
      });
      return { kind: "done" };
    case "update_status":
      await deps.tracker.updateStatus({
        task: doc.id,
        body: redactSecrets(effect.body, secrets),
        ...(effect.state === undefined ? {} : { state: effect.state }),
      });
      return { kind: "done" };
    case "sync_pull_request":
      await deps.codeHost.ensurePullRequest({
        task: doc.id,
        branch: doc.branch,
        title: redactSecrets(effect.title, secrets),
        body: redactSecrets(effect.body, secrets),
        draft: effect.draft,
        firstAttempt,
      });
      return { kind: "done" };
    case "report_check":
      await deps.codeHost.reportCheck({
        task: doc.id,
        key: effect.key,
        commit: effect.commit,
        title: redactSecrets(effect.title, secrets),
        summary: redactSecrets(effect.summary, secrets),
        firstAttempt,
      });
      return { kind: "done" };
  }
}
