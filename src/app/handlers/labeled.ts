import type { GitHub } from "../../adapters/github/api/client.ts";
import { openIssue } from "../issue-context.ts";
import type { AppOptions } from "../options.ts";
import type { LabeledPayload } from "../payloads.ts";
import { startTask } from "../start-task.ts";

/** `issues.labeled`: the configured label, from someone with write access, starts a task. */
export async function onLabeled(app: AppOptions, github: GitHub, p: LabeledPayload): Promise<void> {
  if (p.sender.type === "Bot" || p.issue.pull_request !== undefined) return;
  const ctx = openIssue(app, github, {
    repo: { owner: p.repository.owner.login, repo: p.repository.name },
    defaultBranch: p.repository.default_branch,
    issue: p.issue.number,
    labels: p.issue.labels.map((l) => l.name),
  });
  if (!(await ctx.canWrite(p.sender.login))) {
    app.logger.info(
      { issue: p.issue.number, user: p.sender.login },
      "label ignored: no write access",
    );
    return;
  }
  const config = await ctx.config();
  if (!config || p.label.name !== config.label) return;
  await startTask(ctx, p.issue);
}
