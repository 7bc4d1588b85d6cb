// action.yml and the workflow users copy to run it, checked by GitHub's own workflow parser and,
// for what that parser cannot check, by GitHub's expression evaluator and the rules in
// workflow-rules.ts (each from GitHub's documentation).
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ActionEnv } from "../../src/config/action-env.ts";
import { PACKAGE_ROOT } from "../../src/config/package-root.ts";
import { EVENT_NAMES } from "../../src/app/events.ts";
import { ACTION_OUTPUTS } from "../../src/action/outputs.ts";
import {
  concurrencyProblems,
  evaluate,
  lostRuns,
  parseActionFile,
  usesProblems,
  workflowErrors,
  type Concurrency,
} from "./workflow-rules.ts";

const read = (path: string) => readFile(join(PACKAGE_ROOT, path), "utf8");

const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as {
  name: string;
  examples: Record<string, unknown>[];
}[];

/** Sets a dotted path (`comment.user.type`) inside a payload; every step must exist. */
function set(p: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  const last = keys.pop() ?? "";
  let at: Record<string, unknown> = p;
  for (const key of keys) {
    const next = at[key];
    if (typeof next !== "object" || next === null) throw new Error(`no ${path} in the payload`);
    at = next as Record<string, unknown>;
  }
  if (!(last in at)) throw new Error(`no ${path} in the payload`);
  at[last] = value;
}

/** A real webhook payload from `@octokit/webhooks-examples` with some fields changed. */
function payload(
  name: string,
  action: string,
  changes: Record<string, unknown> = {},
): Record<string, unknown> {
  const found = examples.find((e) => e.name === name)?.examples.find((e) => e["action"] === action);
  if (!found) throw new Error(`no example for ${name}.${action}`);
  const p = structuredClone(found);
  set(p, "repository.full_name", "octo-org/textkit");
  for (const [path, value] of Object.entries(changes)) set(p, path, value);
  return p;
}

interface Workflow {
  on: Record<string, { types?: string[] } | null | unknown[]>;
  permissions: unknown;
  concurrency?: unknown;
  jobs: Record<
    string,
    {
      if: string;
      concurrency: { group: string; "cancel-in-progress": boolean; queue?: "single" | "max" };
      steps: { uses?: string; with?: Record<string, string> }[];
    }
  >;
}

describe("action.yml", () => {
  it("is a valid action for GitHub's parser: the checked-in bundle on node24, the inputs the action reads, the outputs it writes", async () => {
    const content = await read("action.yml");
    const { errors, inputs, outputs } = parseActionFile("action.yml", content);
    expect(errors).toEqual([]);
    const action = parse(content) as { runs: { using: string; main: string } };
    expect(action.runs).toEqual({ using: "node24", main: "dist/index.js" });
    expect(existsSync(join(PACKAGE_ROOT, action.runs.main))).toBe(true);
    // The runner passes input `x-y` as INPUT_X-Y.
    const read_ = Object.keys(ActionEnv.shape).filter((k) => k.startsWith("INPUT_"));
    expect(inputs.map((i) => `INPUT_${i.id.toUpperCase()}`)).toEqual(read_);
    expect(inputs.every((i) => i.required)).toBe(true);
    expect(outputs).toEqual([...ACTION_OUTPUTS]);
  });

  it("the parser refuses a broken action (the check can fail)", () => {
    expect(
      parseActionFile("bad.yml", "name: x\ndescription: y\nruns:\n  using: node24\n  mian: a.js\n")
        .errors.length,
    ).toBeGreaterThan(0);
  });
});

describe("templates/orchestrate-workflow.yml", () => {
  const load = async () => {
    const content = await read("templates/orchestrate-workflow.yml");
    const workflow = parse(content) as Workflow;
    const job = Object.values(workflow.jobs)[0];
    if (!job) throw new Error("no job");
    return { content, workflow, job };
  };

  it("is a valid GitHub Actions workflow", async () => {
    const { content } = await load();
    expect(workflowErrors("orchestrator.yml", content)).toEqual([]);
  });

  it("subscribes to every event the handlers act on plus the sweep, with no workflow token and an App token", async () => {
    const { content, workflow } = await load();
    for (const name of EVENT_NAMES.filter((n) => !n.startsWith("check_suite"))) {
      const [event = "", action = ""] = name.split(".");
      expect(workflow.on[event], name).toMatchObject({ types: expect.arrayContaining([action]) });
    }
    expect(workflow.on).toHaveProperty("schedule");
    expect(workflow.permissions).toEqual({});
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
    expect(steps[0]?.uses).toMatch(/^actions\/create-github-app-token@/);
    const ours = steps.find((s) => s.with?.["github-token"]);
    expect(ours?.with?.["github-token"]).toBe("${{ steps.token.outputs.token }}");
    expect(content).not.toContain("secrets.GITHUB_TOKEN");
  });

  it("pins every action to the commit of its current release, with inputs the action declares", async () => {
    const { content } = await load();
    expect(
      usesProblems(content, {
        name: "orchestrator-dev/orchestrator",
        actionYml: await read("action.yml"),
      }),
    ).toEqual([]);
    // The rule can fail: a tag, an old release's SHA, an input the action does not have.
    const own = { name: "orchestrator-dev/orchestrator", actionYml: await read("action.yml") };
    expect(
      usesProblems(
        content.replace(/create-github-app-token@[0-9a-f]{40}/, "create-github-app-token@v2"),
        own,
      ),
    ).toEqual(["actions/create-github-app-token@v2 is not pinned to a commit"]);
    expect(usesProblems(content.replace("client-id:", "app-idd:"), own)).toEqual([
      "actions/create-github-app-token has no input app-idd",
    ]);
    expect(usesProblems(content.replace("github-token:", "token:"), own)).toEqual([
      "orchestrator-dev/orchestrator has no input token",
      "orchestrator-dev/orchestrator needs its input github-token",
    ]);
  });

  it("loses no event: a job-level group whose queue keeps every waiting run", async () => {
    const { workflow, job } = await load();
    // A workflow-level group is joined by runs the job's `if:` then skips.
    expect(workflow.concurrency).toBeUndefined();
    const c: Concurrency = {
      level: "job",
      cancelInProgress: job.concurrency["cancel-in-progress"],
      queue: job.concurrency.queue ?? "single",
    };
    expect(concurrencyProblems(c)).toEqual([]);
    // While a run works on the task: a writer's `/approve`, then the App's own status comment
    // and reply (runs the `if:` skips), then a second command.
    const burst = [
      { passesIf: true },
      { passesIf: true },
      { passesIf: false },
      { passesIf: false },
      { passesIf: true },
    ];
    expect(lostRuns(c, burst)).toEqual([]);
    // The same burst under the old block (workflow level, default queue) lost the `/approve`.
    expect(
      lostRuns({ level: "workflow", cancelInProgress: false, queue: "single" }, burst),
    ).toEqual([1]);
    expect(lostRuns({ ...c, queue: "single" }, burst)).toEqual([1]);
    expect(concurrencyProblems({ ...c, cancelInProgress: true })).toHaveLength(1);
  });

  it("starts a runner only for events that can concern a task, never for bots, readers or forks", async () => {
    const { job } = await load();
    const runs = (eventName: string, event: Record<string, unknown>) =>
      evaluate(job.if, { event_name: eventName, event, repository: "octo-org/textkit" });
    // A pull request from a task branch of this repository.
    const task = {
      "pull_request.head.ref": "orchestrator/issue-42-add-a-truncate-helper",
      "pull_request.head.repo.full_name": "octo-org/textkit",
    };

    expect(runs("issues", payload("issues", "labeled", { "label.name": "orchestrate" }))).toBe(
      true,
    );
    expect(runs("issues", payload("issues", "labeled", { "label.name": "bug" }))).toBe(false);

    const comment = (body: string, association: string, type = "User") =>
      payload("issue_comment", "created", {
        "comment.body": body,
        "comment.author_association": association,
        "comment.user.type": type,
      });
    expect(runs("issue_comment", comment("/approve", "OWNER"))).toBe(true);
    expect(runs("issue_comment", comment("/approve", "MEMBER"))).toBe(true);
    expect(runs("issue_comment", comment("/retry more tests", "COLLABORATOR"))).toBe(true);
    // Readers, first-time contributors and bots (the App's own comments) start nothing.
    for (const association of [
      "NONE",
      "CONTRIBUTOR",
      "FIRST_TIME_CONTRIBUTOR",
      "FIRST_TIMER",
      "MANNEQUIN",
    ])
      expect(runs("issue_comment", comment("/approve", association)), association).toBe(false);
    expect(runs("issue_comment", comment("/approve", "OWNER", "Bot"))).toBe(false);
    expect(runs("issue_comment", comment("thanks, looks good", "OWNER"))).toBe(false);

    const review = (state: string, type: string, more: Record<string, unknown> = {}) =>
      payload("pull_request_review", "submitted", {
        "review.state": state,
        "review.user.type": type,
        "review.author_association": "MEMBER",
        ...task,
        ...more,
      });
    expect(runs("pull_request_review", review("changes_requested", "User"))).toBe(true);
    expect(runs("pull_request_review", review("commented", "User"))).toBe(true);
    // The App's own code review, an approval, a fork's pull request, another branch.
    expect(runs("pull_request_review", review("commented", "Bot"))).toBe(false);
    expect(runs("pull_request_review", review("approved", "User"))).toBe(false);
    const fork = { "pull_request.head.repo.full_name": "someone/textkit" };
    expect(runs("pull_request_review", review("commented", "User", fork))).toBe(false);
    const other = { "pull_request.head.ref": "feature" };
    expect(runs("pull_request_review", review("commented", "User", other))).toBe(false);

    const reviewComment = (type: string, association: string) =>
      payload("pull_request_review_comment", "created", {
        "comment.user.type": type,
        "comment.author_association": association,
        ...task,
      });
    expect(runs("pull_request_review_comment", reviewComment("User", "OWNER"))).toBe(true);
    expect(runs("pull_request_review_comment", reviewComment("Bot", "OWNER"))).toBe(false);
    expect(runs("pull_request_review_comment", reviewComment("User", "NONE"))).toBe(false);

    expect(runs("pull_request", payload("pull_request", "closed", task))).toBe(true);
    expect(runs("pull_request", payload("pull_request", "closed", { ...task, ...fork }))).toBe(
      false,
    );

    const ci = (repo: string, branch: string) =>
      payload("workflow_run", "completed", {
        "workflow_run.head_repository.full_name": repo,
        "workflow_run.head_branch": branch,
      });
    expect(runs("workflow_run", ci("octo-org/textkit", "orchestrator/issue-42-x"))).toBe(true);
    // A fork's CI on a branch named like a task's would run with this repository's secrets.
    expect(runs("workflow_run", ci("someone/textkit", "orchestrator/issue-42-x"))).toBe(false);
    expect(runs("workflow_run", ci("octo-org/textkit", "main"))).toBe(false);

    expect(runs("schedule", { schedule: "17 * * * *" })).toBe(true);
    expect(runs("workflow_dispatch", {})).toBe(true);
  });

  it("sweeps hourly, off the hour", async () => {
    const { workflow } = await load();
    const schedule = workflow.on["schedule"] as { cron: string }[];
    // One run an hour is 24 × 31 = 744 runs (billed minutes) a month at most.
    expect(schedule).toEqual([{ cron: "17 * * * *" }]);
  });
});
