import type { GitHub } from "../../adapters/github/client.ts";
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
  const services = await ctx.services();
  if (!services) return;
  const task = taskIdOfIssue(p.issue.number);
  const { parsed } = text;
  if (parsed.command === "status") {
    const shown = await services.engine.showStatus(task);
    await ctx.tracker.flush();
    if (shown) await react(github, p);
    return;
  }
  const result = await services.engine.command(task, {
    ...parsed,
    by: login,
    escalation,
    source: `comment:${p.comment.id}`,
  });
  if (!result.applied) {
    if (result.duplicate !== true)
      await ctx.reply(
        replyKey,
        `@${login} \`/${parsed.command}\` was not applied: ${result.reason}.`,
      );
    return;
  }
  await react(github, p);
  await ctx.run(task);
}

async function react(github: GitHub, p: CommentPayload): Promise<void> {
  await github.rest.reactions.createForIssueComment({
    owner: p.repository.owner.login,
    repo: p.repository.name,
    comment_id: p.comment.id,
    content: "eyes",
  });
}
