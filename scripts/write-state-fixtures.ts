/**
 * Writes one task document per state of the current schema version to
 * test/fixtures/state/historical/, as the state machine makes them. The corpus is immutable: an
 * existing file is never overwritten, so documents of released versions stay as they were.
 */
import { access, writeFile } from "node:fs/promises";
import { SCHEMA_VERSION, type TaskDocument } from "../src/core/task/document.ts";
import {
  AT,
  call,
  codeReview,
  gating,
  GREEN,
  implemented,
  implementing,
  newDoc,
  planReview,
  PLAN,
  RED,
  result,
  started,
  step,
  succeed,
  command,
} from "../test/fakes/machine.ts";

const awaiting = succeed(started(), { kind: "plan", plan: PLAN, calls: [call("p#0")] });
const blocked = succeed(implementing(), {
  kind: "failed",
  reason: "workspace_error",
  message: "git push failed (exit 1): pack exceeds maximum allowed size",
  calls: [],
});
const budget = step(
  succeed(started(newDoc({ budgetUsd: 0.001 })), {
    kind: "plan",
    plan: PLAN,
    calls: [call("p#0")],
  }),
  {
    type: "command",
    at: AT,
    command: "budget",
    amountUsd: 5,
    by: "maintainer",
    escalation: 1,
    source: "comment:101",
  },
);

const documents: Record<string, TaskDocument> = {
  queued: newDoc(),
  planning: started(),
  plan_review: awaiting,
  implementing: implementing(),
  code_review: result(implementing(), implemented("c1")),
  gating: gating(),
  fixing: succeed(gating(), { kind: "gate", result: RED }),
  awaiting_human: blocked,
  "plan_review-after-budget-raised": budget,
  done: succeed(gating(), { kind: "gate", result: GREEN }),
  failed: command(
    succeed(awaiting, { kind: "plan_review", review: planReview("rejected"), calls: [] }),
    "reject",
  ),
  cancelled: command(blocked, "abort"),
  "implementing-after-review": succeed(result(implementing(), implemented("c1")), {
    kind: "code_review",
    review: codeReview("needs_changes"),
    calls: [],
  }),
};

for (const [name, doc] of Object.entries(documents)) {
  const file = new URL(
    `../test/fixtures/state/historical/v${SCHEMA_VERSION}-${name}.json`,
    import.meta.url,
  );
  const exists = await access(file).then(
    () => true,
    () => false,
  );
  if (exists) continue;
  await writeFile(file, `${JSON.stringify(doc, null, 1)}\n`);
  console.log(`wrote ${file.pathname.split("/").slice(-1)[0] ?? ""} (${doc.state})`);
}
