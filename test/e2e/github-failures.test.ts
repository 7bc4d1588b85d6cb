import { tmpdir } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { Git } from "../../src/adapters/git/git.ts";
import { appHarness, TEXT_ISSUE, type AppHarness } from "../fakes/app-harness.ts";
import { taskOf } from "../fakes/app-scenario.ts";

let h: AppHarness | undefined;
afterEach(() => {
  h?.stop();
  h = undefined;
});

const escalations = (x: AppHarness): string[] =>
  x.github
    .issueComments(42)
    .map((c) => c.body)
    .filter((b) => b.startsWith("### Needs a human"));

describe("failures end in one clear comment, never a hang", () => {
  it("a push that fails stops the task with one escalation and its lease given back; /approve pushes the same commit", async () => {
    h = await appHarness();
    const bare = new Git({ cwd: tmpdir(), gitDir: h.bare });
    await bare.run(["config", "receive.maxInputSize", "1"]);
    await h.deliver("issues", h.labeled());
    const doc = taskOf(h.github);
    expect(doc?.state).toBe("awaiting_human");
    expect(doc?.escalation?.reason).toBe("workspace_error");
    expect(doc?.lease).toBeNull();
    expect(escalations(h)).toHaveLength(1);
    expect(escalations(h)[0]).toMatch(/workspace error[\s\S]*git push/);

    await bare.run(["config", "--unset", "receive.maxInputSize"]);
    await h.deliver("issue_comment", h.comment("/approve"));
    const after = taskOf(h.github);
    expect(after?.state).toBe("gating");
    const s1 = h.replay.requests.filter(
      (r) => r.tag.role === "implementer" && r.tag.step === "S1" && r.tag.attempt === 1,
    );
    // The commit made before the failed push was pushed; the implementer was not paid again.
    expect(s1.filter((r) => r.tag.turn === 0)).toHaveLength(1);
    expect(await h.head(after?.branch ?? "")).toBe(after?.headCommit);
  });

  it("a context file inside .git is refused at intake with one comment", async () => {
    h = await appHarness();
    const body = TEXT_ISSUE.body.replace("src/index.js\n", ".git/config\n");
    const issue = h.github.issues.get(TEXT_ISSUE.number);
    if (issue) issue.body = body;
    const payload = h.labeled();
    await h.deliver("issues", { ...payload, issue: { ...(payload["issue"] as object), body } });
    expect(taskOf(h.github)).toBeNull();
    const comments = h.github.issueComments(42).map((c) => c.body);
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatch(
      /cannot start this task[\s\S]*context_files\.0[^\n]*must not be inside \.git/,
    );
  });

  it.each([
    ["too large", `label: orchestrate\n# ${"x".repeat(70_000)}\n`, /at most 65536/],
    [
      "an alias bomb",
      `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n`,
      /cannot be read/,
    ],
    [
      "a state branch that is the default branch",
      "state_branch: main\n",
      /state_branch[^\n]*default branch/,
    ],
    [
      "a state branch under the task prefix",
      "state_branch: orchestrator/issue-state\n",
      /state_branch[^\n]*task branch prefix/,
    ],
  ])("a config %s gets one comment and nothing else happens", async (_, text, problem) => {
    h = await appHarness();
    h.github.files.set(".github/orchestrator.yml", text);
    await h.deliver("issues", h.labeled());
    await h.deliver("issues", h.labeled(), "again");
    const comments = h.github.issueComments(42).map((c) => c.body);
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatch(/orchestrator\.yml` is invalid/);
    expect(comments[0]).toMatch(problem);
    expect(taskOf(h.github)).toBeNull();
  });
});
