import { InvalidInputError } from "../core/errors.ts";
import { intakeProblemsComment } from "../core/report/comments.ts";
import { taskFromIssue } from "../core/task/issue-intake.ts";
import type { IssueContext } from "./issue-context.ts";

export interface LabeledIssue {
  readonly title: string;
  readonly body: string | null;
}

/**
 * Starts the task an issue asks for and runs it; the caller has checked who asked. An issue that
 * already has a task starts nothing new; an invalid task gets one comment listing its problems.
 */
export async function startTask(ctx: IssueContext, issue: LabeledIssue): Promise<void> {
  const [config, services] = [await ctx.config(), await ctx.services()];
  if (!config || !services) return;
  const number = ctx.ref.issue;
  let definition;
  try {
    definition = taskFromIssue({ number, ...issue }, config.defaults);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    await ctx.reply(`intake:${number}`, intakeProblemsComment(error));
    return;
  }
  await services.engine.start(definition, { title: issue.title });
  await ctx.run(definition.id);
}
