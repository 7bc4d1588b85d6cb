import { afterEach, describe, expect, it } from "vitest";
import { readRecords } from "../../src/core/learning/records.ts";
import { appHarness, TEXT_ISSUE, type AppHarness } from "../fakes/app-harness.ts";
import { tapLog } from "../fakes/ci-log.ts";
import { headings, htmlNodes } from "../fakes/gfm.ts";

let h: AppHarness | undefined;
afterEach(() => {
  h?.stop();
  h = undefined;
});

const BRANCH = "orchestrator/issue-42-add-a-truncate-helper";

describe("the GitHub App, end to end", () => {
  it("commits as the App's bot user, with the noreply address GitHub links to it", async () => {
    h = await appHarness();
    await h.deliver("issues", h.labeled());
    const authors = await h.github.git?.([
      "log",
      "--format=%an <%ae>|%cn <%ce>",
      BRANCH,
      "--not",
      "main",
    ]);
    const login = `${h.github.appSlug}[bot]`;
    const identity = `${login} <${String(h.github.botUserId)}+${login}@users.noreply.github.com>`;
    const lines = (authors ?? "").trim().split("\n");
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toBe(`${identity}|${identity}`);
    // The slug from GET /app (the App's JWT), the id from GET /users/<slug>[bot], once each.
    expect(h.github.requests.filter((r) => r.path === "/app")).toHaveLength(1);
    expect(
      h.github.requests.filter((r) => r.path === `/users/${encodeURIComponent(login)}`),
    ).toHaveLength(1);
    expect(h.github.violations).toEqual([]);
  });

  it("a labelled issue becomes a reviewed pull request", async () => {
    h = await appHarness();
    await h.deliver("issues", h.labeled());
    expect(h.github.unknown).toEqual([]);
    const firstHead = await h.head(BRANCH);
    expect(firstHead).not.toBeNull();
    const state = JSON.parse(h.github.stateFile("tasks/42.json") ?? "{}") as { state: string };
    expect(state.state).toBe("gating");
    const modelCalls = h.replay.requests.length;
    h.github.completeCheck({ sha: firstHead ?? "", conclusion: "failure", log: tapLog() });
    await h.deliver("check_suite", h.checkSuite(firstHead ?? "", BRANCH));
    // First seen: the failed job runs again, with no model call.
    expect(h.github.reruns).toHaveLength(1);
    expect(h.replay.requests).toHaveLength(modelCalls);
    expect(await h.head(BRANCH)).toBe(firstHead);
    h.github.completeCheck({ sha: firstHead ?? "", conclusion: "failure", log: tapLog() });
    await h.deliver("check_suite", h.checkSuite(firstHead ?? "", BRANCH));
    const fixedHead = await h.head(BRANCH);
    const fixer = JSON.stringify(h.replay.requests.slice(modelCalls)[0]?.messages);
    expect(fixer).toContain("cuts long text");
    expect(fixer).toContain("Expected values to be strictly equal:");
    expect(fixer).toContain("test/truncate.test.js:9:3");
    expect(fixedHead).not.toBe(firstHead);
    h.github.completeCheck({ sha: fixedHead ?? "", conclusion: "success" });
    await h.deliver("check_suite", h.checkSuite(fixedHead ?? "", BRANCH));

    expect(h.github.unknown).toEqual([]);
    const done = JSON.parse(h.github.stateFile("tasks/42.json") ?? "{}") as { state: string };
    expect(done.state).toBe("done");
    const pull = h.github.pulls[0];
    expect(pull).toMatchObject({
      head: BRANCH,
      base: "main",
      draft: false,
      title: TEXT_ISSUE.title,
    });
    expect(pull?.body).toMatch(/^Closes #42/);
    expect(pull?.body).toMatch(/S1 .*needs changes → approved/);
    // One comment of ours on the issue: the status, edited in place, with the plan and its
    // review folded in; no summary.
    const comments = h.github.issueComments(42).map((c) => c.body);
    expect(comments).toHaveLength(1);
    expect(comments[0]).toContain("orchestrator:status:42");
    expect(htmlNodes(comments[0] ?? "")).toEqual(
      expect.arrayContaining([
        "<details>\n<summary>Plan v1: 3 step(s)</summary>",
        "<details>\n<summary>Plan review: approved</summary>",
      ]),
    );
    expect(headings(comments[0] ?? "").map((x) => x.text)).toEqual([
      expect.stringMatching(/^Plan v1 by /),
      expect.stringMatching(/^Plan review: approved/),
    ]);
    expect(h.github.issues.get(42)?.labels).toEqual(new Set(["orchestrate", "orchestrator:done"]));
    expect(h.github.checkRuns.filter((r) => r.name === "orchestrator")).toHaveLength(5);
    expect(h.github.stateFile("runs/42.md")).toContain("Quality gate passed");
  });
});

describe("comments: each", () => {
  it("posts the plan and the plan review as comments of their own beside the status", async () => {
    h = await appHarness();
    h.github.files.set(".github/orchestrator.yml", "comments: each\n");
    await h.deliver("issues", h.labeled());
    const comments = h.github.issueComments(42).map((c) => c.body);
    expect(comments.filter((b) => b.startsWith("### Plan v1"))).toHaveLength(1);
    expect(comments.filter((b) => b.startsWith("### Plan review: approved"))).toHaveLength(1);
    const status = comments.filter((b) => b.includes("orchestrator:status:42"));
    expect(status).toHaveLength(1);
    expect(htmlNodes(status[0] ?? "").filter((n) => n.includes("<details>"))).toEqual([]);
  });
});

describe("learning data on the state branch", () => {
  const recordFile = (x: AppHarness): string => {
    const [[path, text] = ["", ""], ...more] = x.github.stateFiles("records/");
    expect(more).toEqual([]);
    expect(path).toMatch(/^records\/\d{4}-\d{2}\.jsonl$/);
    return text;
  };

  it("a finished task appends its task line and one line per paid call, once; its merge appends a newer task line", async () => {
    h = await appHarness();
    await h.deliver("issues", h.labeled());
    const head = await h.head(BRANCH);
    h.github.completeCheck({ sha: head ?? "", conclusion: "success" });
    await h.deliver("check_suite", h.checkSuite(head ?? "", BRANCH));
    const task = JSON.parse(h.github.stateFile("tasks/42.json") ?? "{}") as { ledger: unknown[] };
    let records = readRecords([recordFile(h)]);
    expect(records.calls).toHaveLength(task.ledger.length);
    expect(new Set(records.calls.map((c) => c.role))).toEqual(
      new Set(["planner", "plan_reviewer", "implementer", "code_reviewer"]),
    );
    expect(records.tasks).toEqual([
      expect.objectContaining({
        task: "42",
        outcome: "success",
        quality_gate_first_pass: true,
        plan_review_first_pass: true,
        code_review_first_pass: false,
        merged: null,
      }),
    ]);
    expect(
      records.calls.filter((c) => c.role === "implementer" && c.result === "needed_changes").length,
    ).toBeGreaterThan(0);
    // The dashboard is regenerated in the same save, from every records file.
    const dashboard = h.github.stateFile("DASHBOARD.md") ?? "";
    expect(dashboard).toMatch(/^# orchestrator dashboard/);
    expect(dashboard).toContain(`1 task(s), ${task.ledger.length} model call(s)`);
    expect(dashboard).toContain('```mermaid\npie title "Tasks by implementer"');
    expect(h.github.stateFile("knowledge.md")).toMatch(
      /^# What this repository's reviews and CI keep asking for\n\n_Counted over 1 finished task\(s\)/,
    );
    const lines = recordFile(h).trim().split("\n").length;
    // Merged: one newer task line, no call line again.
    await h.deliver(
      "pull_request",
      h.pullClosed(h.github.pulls[0]?.number ?? 0, BRANCH, { merged: true }),
    );
    expect(recordFile(h).trim().split("\n")).toHaveLength(lines + 1);
    records = readRecords([recordFile(h)]);
    expect(records.tasks).toEqual([expect.objectContaining({ task: "42", merged: true })]);
    expect(records.calls).toHaveLength(task.ledger.length);
  });
});
