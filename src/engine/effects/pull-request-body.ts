import { fillPullRequestTemplate, pullRequestTemplatePath } from "../../core/report/pr-template.ts";
import type { TaskDocument } from "../../core/task/document.ts";
import type { RunnerContext } from "./runner-context.ts";

/**
 * The pull request body in the repository's own template, as it is at the task's base commit
 * (GitHub reads templates from the default branch; the task branch cannot change it). The
 * body as given when the task has no base commit or the repository no template.
 */
export async function templatedBody(
  ctx: Pick<RunnerContext, "workspace">,
  doc: TaskDocument,
  body: string,
): Promise<string> {
  const base = doc.baseCommit;
  if (base === null) return body;
  const tree = await ctx.workspace.open({ task: doc.id, branch: doc.branch, base });
  const path = pullRequestTemplatePath((await tree.filesAt(base)).map((f) => f.path));
  if (path === null) return body;
  return fillPullRequestTemplate(await tree.readAt(base, path), body);
}
