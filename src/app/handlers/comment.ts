import { canWrite } from "../../adapters/github/repo-config.ts";
import type { GitHub } from "../../adapters/github/client.ts";
import { statusBody } from "../../core/report/status.ts";
import { parseCommand } from "../commands.ts";
import type { AppOptions } from "../options.ts";
import type { CommentPayload } from "../payloads.ts";
import { issueServices } from "../repo-services.ts";
import { configOrComplain, reply, runIssue } from "../run-issue.ts";

/** `issue_comment.created`: a command on the first line, from someone with write access. */
export async function onComment(app: AppOptions, github: GitHub, p: CommentPayload): Promise<void> {
  if (p.sender.type === "Bot" || p.comment.performed_via_github_app) return;
  const parsed = parseCommand(p.comment.body);
  if (!parsed) return;
  const repo = { owner: p.repository.owner.login, repo: p.repository.name };
  const issue = p.issue.number;
  const config = await configOrComplain(app, github, repo, p.repository.default_branch, issue);
  if (!config) return;
  const services = issueServices(
    app,
    { github, repo, defaultBranch: p.repository.default_branch, config },
    issue,
  );
  const stored = await services.store.load(String(issue));
  if (!stored) return;
  const key = `reply:${p.comment.id}`;
  if (!(await canWrite(github, repo, p.sender.login))) {
    await reply(
      app,
      github,
      repo,
      issue,
      key,
      `@${p.sender.login} only people with write access can answer orchestrator.`,
    );
    return;
  }
  if (parsed.command === "status") {
    await services.tracker.updateStatus({
      task: stored.document.id,
      body: statusBody(stored.document),
      state: stored.document.state,
    });
    await services.tracker.flush();
    await github.rest.reactions.createForIssueComment({
      ...repo,
      comment_id: p.comment.id,
      content: "eyes",
    });
    return;
  }
  const result = await services.engine.command(stored.document.id, {
    ...parsed,
    by: p.sender.login,
  });
  if (!result.applied) {
    await reply(
      app,
      github,
      repo,
      issue,
      key,
      `@${p.sender.login} \`/${parsed.command}\` was not applied: ${result.reason}.`,
    );
    return;
  }
  await github.rest.reactions.createForIssueComment({
    ...repo,
    comment_id: p.comment.id,
    content: "eyes",
  });
  await runIssue(app, services, stored.document.id);
}
