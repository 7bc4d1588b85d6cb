import { countTaskLines } from "../adapters/github/sweep/line-survival.ts";
import { survivalDue } from "../core/task/document.ts";
import { issueOfTask, pullNumberOf } from "../core/task/task-ref.ts";
import { openIssue } from "./issue-context.ts";
import type { AppOptions } from "./options.ts";
import type { RepoSweep } from "./repo-sweep.ts";

/**
 * Merged tasks whose lines are due to be counted again (30 days after the merge): counted with
 * `git blame` through GitHub, and recorded in the task (its records are written again).
 */
export async function countLinesKept(
  app: AppOptions,
  sweep: RepoSweep,
  later: ReadonlyMap<string, string>,
): Promise<number> {
  const now = app.clock.now();
  let counted = 0;
  for (const [id, due] of later) {
    const issue = issueOfTask(id);
    if (issue === null || Date.parse(due) > now) continue;
    const ctx = openIssue(
      app,
      sweep.github,
      { repo: sweep.repo, defaultBranch: sweep.defaultBranch, issue },
      sweep.config,
    );
    const doc = (await (await ctx.services())?.store.load(id))?.document;
    const mergeCommit = doc?.pullRequestClosed?.mergeCommit;
    const pull = doc ? pullNumberOf(doc.pullRequest) : null;
    if (!doc || !mergeCommit || pull === null || survivalDue(doc) === null) continue;
    const count = await countTaskLines(sweep.github, sweep.repo, {
      pull,
      mergeCommit,
      commits: doc.steps.flatMap((s) => s.commits),
      defaultBranch: sweep.defaultBranch,
    }).catch((error: unknown) => {
      // Tried again at the next pass; the rest of the sweep goes on.
      app.logger.warn({ task: id, err: error }, "lines of a merged task could not be counted");
      return null;
    });
    if (!count) continue;
    const { lines, surviving } = count;
    const at = new Date(now).toISOString();
    await ctx.run(id, { after: { type: "lines_survived", at, lines, surviving } });
    counted += 1;
  }
  return counted;
}
