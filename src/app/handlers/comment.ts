import type { GitHub } from "../../adapters/github/api/client.ts";
import { escalationOfKey } from "../../core/task/context.ts";
import { taskIdOfIssue } from "../../core/task/task-ref.ts";
import { parseCommand } from "../commands.ts";
import { openIssue } from "../issue-context.ts";
import type { AppOptions } from "../options.ts";
import type { CommentPayload } from "../payloads.ts";

/**
 * `issue_comment.created`: a command from someone with write access, applied to the escalation
 * that was open when the comment was written, once per comment.
 */
export async function onComment(app: AppOptions, github: GitHub, p: CommentPayload): Promise<void> {
  if (p.sender.type === "Bot" || p.comment.performed_via_github_app) return;
  const text = parseCommand(p.comment.body);
  if (!text) return;
  const ctx = openIssue(app, github, {
    repo: { owner: p.repository.owner.login, repo: p.repository.name },
    defaultBranch: p.repository.default_branch,
    issue: p.issue.number,
  });
  const login = p.sender.login;
  const writer = await ctx.canWrite(login);
  // The escalation the author saw: our latest escalation comment written before theirs.
  const seen = await ctx.tracker.latestBefore(":escalation", {
    id: p.comment.id,
    createdAt: p.comment.created_at,
  });
  const escalation = seen === null ? 0 : (escalationOfKey(seen) ?? 0);
  if (!writer) {
    await ctx.reply(
      `reader:${login}:${escalation}`,
      `@${login} only people with write access can answer orchestrator.`,
    );
    return;
  }
  const replyKey = `reply:${p.comment.id}`;
  if (!text.ok) {
    await ctx.reply(replyKey, `@${login} \`/${text.command}\` was not applied: ${text.problem}.`);
    return;
  }
  const task = taskIdOfIssue(p.issue.number);
  const { parsed } = text;
  if (parsed.command === "status") {
    const services = await ctx.services();
    const shown = services ? await services.engine.showStatus(task) : null;
    await ctx.tracker.flush();
    if (shown) await ctx.tracker.acknowledge(p.comment.id);
    return;
  }
  const result = await ctx.wake(task, {
    type: "command",
    request: { ...parsed, by: login, escalation, source: `comment:${p.comment.id}` },
  });
  if (result === null) return;
  if (!result.applied) {
    if (result.duplicate !== true)
      await ctx.reply(
        replyKey,
        `@${login} \`/${parsed.command}\` was not applied: ${result.reason}.`,
      );
    return;
  }
  await ctx.tracker.acknowledge(p.comment.id);
}
