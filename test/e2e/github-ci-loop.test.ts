import { afterEach, describe, expect, it } from "vitest";
import type { Cassette, CassetteEntry } from "../../src/providers/replay/cassette.ts";
import { appHarness, type AppHarness } from "../fakes/app-harness.ts";
import { taskOf } from "../fakes/app-scenario.ts";
import { tapLog } from "../fakes/ci-log.ts";
import { demoCassette, FIXED_NOW } from "../fakes/harness.ts";

let h: AppHarness | undefined;
afterEach(() => {
  h?.stop();
  h = undefined;
});

const BRANCH = "orchestrator/issue-42-add-a-truncate-helper";

/** The demo's answers, plus a second fix for a maintainer's /retry. */
async function withSecondFix(): Promise<Cassette> {
  const cassette = await demoCassette();
  const fix: CassetteEntry[] = cassette.calls
    .filter((c) => c.step === "F1")
    .map((c) =>
      c.role === "fixer" && c.turn === 0
        ? {
            ...c,
            step: "F2",
            tool_calls: [
              {
                name: "edit_file",
                input: {
                  path: "src/truncate.js",
                  search: "max - 1",
                  replace: "Math.max(0, max - 1)",
                },
              },
            ],
          }
        : { ...c, step: "F2" },
    );
  return { ...cassette, calls: [...cassette.calls, ...fix] };
}

async function toGate(x: AppHarness): Promise<string> {
  await x.deliver("issues", x.labeled());
  const head = await x.head(BRANCH);
  if (!head) throw new Error("no branch");
  return head;
}

async function ci(x: AppHarness, sha: string, conclusion: string, log?: string): Promise<void> {
  x.github.completeCheck({ sha, conclusion, branch: BRANCH, ...(log ? { log } : {}) });
  await x.deliver("check_suite", x.checkSuite(sha, BRANCH));
}

const comments = (x: AppHarness): string[] => x.github.issueComments(42).map((c) => c.body);
const status = (x: AppHarness): string =>
  comments(x).find((b) => b.includes("orchestrator:status:42")) ?? "";

describe("the CI loop on GitHub", () => {
  it("flaky: a failure seen first is run again; green then finishes with no model call", async () => {
    h = await appHarness();
    const head = await toGate(h);
    const calls = h.replay.requests.length;
    await ci(h, head, "failure", tapLog());
    expect(h.github.reruns).toHaveLength(1);
    expect(taskOf(h.github)?.state).toBe("gating");
    await ci(h, head, "success");
    expect(taskOf(h.github)?.state).toBe("done");
    expect(h.replay.requests).toHaveLength(calls);
    expect(await h.head(BRANCH)).toBe(head);
    expect(h.github.pulls[0]?.draft).toBe(false);
    expect(h.github.stateFile("runs/42.md")).toContain("flaky, not this task's to fix");
    expect(h.github.unknown).toEqual([]);
  });

  it("infrastructure: a timed-out job is run again; timed out twice asks a person, whose /approve runs it once more", async () => {
    h = await appHarness();
    const head = await toGate(h);
    const calls = h.replay.requests.length;
    await ci(h, head, "timed_out");
    expect(h.github.reruns).toHaveLength(1);
    await ci(h, head, "timed_out");
    expect(taskOf(h.github)?.escalation?.reason).toBe("ci_infrastructure");
    const asked = comments(h).at(-1) ?? "";
    expect(asked).toMatch(/^### Needs a human: ci infrastructure/);
    expect(asked).toContain("`/approve` runs the failed checks again");
    await h.deliver("issue_comment", h.comment("/approve"));
    expect(h.github.reruns).toHaveLength(2);
    await ci(h, head, "success");
    expect(taskOf(h.github)?.state).toBe("done");
    expect(h.replay.requests).toHaveLength(calls);
  });

  it("real: red twice goes to the fixer with the log; an old head's result is ignored; the same failure after the fix asks a person, and /retry's feedback reaches the next fix", async () => {
    h = await appHarness({ cassette: await withSecondFix() });
    const first = await toGate(h);
    await ci(h, first, "failure", tapLog());
    await ci(h, first, "failure", tapLog());
    const fixed = await h.head(BRANCH);
    expect(fixed).not.toBe(first);
    const fixer = JSON.stringify(h.replay.requests.find((r) => r.tag.step === "F1")?.messages);
    expect(fixer).toContain("cuts long text");
    expect(fixer).toContain("'hello wo…' !== 'hello w…'");
    // The first head's result arrives again, late: nothing changes.
    const before = taskOf(h.github);
    await h.deliver("check_suite", h.checkSuite(first, BRANCH));
    expect(taskOf(h.github)).toEqual(before);
    // The fix changed nothing CI sees: no re-run, a person is asked at once.
    await ci(h, fixed ?? "", "failure", tapLog());
    expect(h.github.reruns).toHaveLength(1);
    const doc = taskOf(h.github);
    expect(doc?.escalation?.reason).toBe("gate_same_failure");
    const asked = comments(h).at(-1) ?? "";
    expect(asked).toContain("The fix did not change the failure: test fail(s) exactly as before.");
    expect(asked).toContain(
      "✖ cuts long text (/home/runner/work/textkit/textkit/test/truncate.test.js:9:3)",
    );
    expect(asked).toMatch(
      /Tried: 3 gate run\(s\), failed checks run again once; F1: [0-9a-f]{12}\./,
    );
    expect(asked).toContain(`git fetch origin ${BRANCH}`);
    await h.deliver("issue_comment", h.comment("/retry guard against a negative max"));
    const second = JSON.stringify(h.replay.requests.find((r) => r.tag.step === "F2")?.messages);
    expect(second).toContain("A maintainer adds:\\nguard against a negative max");
    expect(second).toContain("cuts long text");
    const head = await h.head(BRANCH);
    await ci(h, head ?? "", "success");
    expect(taskOf(h.github)?.state).toBe("done");
    expect(h.github.unknown).toEqual([]);
  });

  it("red on the base branch too: a person is asked at once; /approve finishes, the pull request ready with a warning", async () => {
    h = await appHarness();
    h.github.completeCheck({
      sha: "b".repeat(40),
      branch: "main",
      conclusion: "failure",
      log: tapLog(),
    });
    const head = await toGate(h);
    const calls = h.replay.requests.length;
    await ci(h, head, "failure", tapLog());
    expect(h.github.reruns).toEqual([]);
    expect(h.replay.requests).toHaveLength(calls);
    expect(taskOf(h.github)?.escalation?.reason).toBe("base_branch_red");
    expect(comments(h).at(-1)).toContain(
      "The base branch is red too: test fail(s) the same way on its latest run",
    );
    await h.deliver("issue_comment", h.comment("/approve"));
    expect(taskOf(h.github)?.state).toBe("done");
    const pull = h.github.pulls[0];
    expect(pull?.draft).toBe(false);
    expect(pull?.body).toContain(
      "> [!WARNING]\n> Finished with the quality gate red (failing: test): accepted by maintainer with the quality gate red. Check the branch before merging.",
    );
  });

  it("without the Actions (write) permission: no re-run, the fixer at once, and the status says why", async () => {
    h = await appHarness();
    h.github.actionsWrite = false;
    const head = await toGate(h);
    await ci(h, head, "failure", tapLog());
    expect(h.github.reruns).toEqual([]);
    expect(await h.head(BRANCH)).not.toBe(head);
    expect(status(h)).toContain(
      "Failed CI jobs are not run again before a fix: the installation has not granted the Actions (write) permission",
    );
  });

  it("done only when the pull request read back matches: a branch someone else moved asks a person instead", async () => {
    h = await appHarness();
    const head = await toGate(h);
    h.github.branchHead = () => Promise.resolve("f".repeat(40));
    await ci(h, head, "success");
    const doc = taskOf(h.github);
    expect(doc?.state).toBe("awaiting_human");
    expect(doc?.escalation?.reason).toBe("pull_request_mismatch");
    expect(status(h)).toContain("Waiting for a human: pull request mismatch.");
    expect(status(h)).not.toContain("Done:");
    expect(comments(h).some((b) => b.startsWith("### Finished"))).toBe(false);
    expect(comments(h).at(-1)).toContain(
      `the pull request's head is ffffffffffff, not the task's ${head.slice(0, 12)}`,
    );
    await h.deliver("issue_comment", h.comment("/approve"));
    expect(taskOf(h.github)?.state).toBe("done");
    expect(status(h)).toContain("Done: accepted by maintainer as the pull request is.");
  });

  it("a missed webhook: the sweep finds the finished CI", async () => {
    h = await appHarness();
    const head = await toGate(h);
    h.github.completeCheck({ sha: head, conclusion: "success", branch: BRANCH });
    await h.app.sweep();
    await h.app.queue.idle();
    expect(taskOf(h.github)?.state).toBe("done");
  });

  it("no CI: after the start timeout the sweep asks a person; /approve finishes with a warning", async () => {
    h = await appHarness();
    await toGate(h);
    await h.app.sweep();
    await h.app.queue.idle();
    expect(taskOf(h.github)?.state).toBe("gating");
    const world = { github: h.github, bare: h.bare };
    const later = await appHarness({
      world,
      replay: h.replay,
      overrides: { clock: { now: () => FIXED_NOW + 16 * 60_000 } },
    });
    await later.app.sweep();
    await later.app.queue.idle();
    expect(taskOf(h.github)?.escalation?.reason).toBe("no_ci");
    expect(comments(h).at(-1)).toContain("No CI ran on this branch: no check started on");
    await later.deliver("issue_comment", later.comment("/approve"));
    expect(taskOf(h.github)?.state).toBe("done");
    expect(h.github.pulls[0]?.body).toContain("Finished with no CI run on the head");
  });
});

/** The demo, but S2 also deletes the existing slugify tests and keeps them deleted when asked. */
async function deletingTests(): Promise<Cassette> {
  const cassette = await demoCassette();
  const calls = cassette.calls.flatMap((c): CassetteEntry[] => {
    if (c.role === "implementer" && c.step === "S2" && c.turn === 0)
      return [
        {
          ...c,
          tool_calls: [
            { name: "delete_file", input: { path: "test/slugify.test.js" } },
            ...c.tool_calls,
          ],
        },
        {
          ...c,
          attempt: 2,
          tool_calls: [
            {
              name: "edit_file",
              input: {
                path: "test/truncate.test.js",
                search: "keeps short text as it is",
                replace: "keeps short text unchanged",
              },
            },
          ],
        },
      ];
    if (c.step === "S2" && (c.turn === 1 || c.role === "code_reviewer"))
      return [c, { ...c, attempt: 2 }];
    return [c];
  });
  return { ...cassette, calls };
}

describe("the scope guard on GitHub", () => {
  it("a step that deletes a test: a required change for the implementer, then, still deleted, a person is asked with the lines", async () => {
    h = await appHarness({ cassette: await deletingTests() });
    await h.deliver("issues", h.labeled());
    const again = h.replay.requests.find(
      (r) => r.tag.role === "implementer" && r.tag.step === "S2" && r.tag.attempt === 2,
    );
    expect(JSON.stringify(again?.messages)).toContain(
      "Undo this change, which weakens the checks: test/slugify.test.js: test file test/slugify.test.js is deleted",
    );
    const reviewer = h.replay.requests.find(
      (r) => r.tag.role === "code_reviewer" && r.tag.step === "S2",
    );
    expect(JSON.stringify(reviewer?.messages)).toContain(
      "Changes that weaken the checks (each must be undone)",
    );
    const doc = taskOf(h.github);
    expect(doc?.escalation?.reason).toBe("test_weakening");
    const asked = comments(h).at(-1) ?? "";
    expect(asked).toMatch(/^### Needs a human: test weakening/);
    expect(asked).toContain("- test/slugify.test.js: test file test/slugify.test.js is deleted");
    // A maintainer who agrees accepts the step; the task goes on.
    await h.deliver("issue_comment", h.comment("/approve"));
    expect(taskOf(h.github)?.steps.find((s) => s.id === "S2")?.status).toBe("completed");
    expect(taskOf(h.github)?.state).toBe("gating");
  });
});
