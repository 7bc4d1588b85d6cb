// Our code reviewer's findings as a maintainer reads them on GitHub: one pull request review per
// round, its findings on the lines they are about, replacement code as a `suggestion` block a
// maintainer can commit. GitHub refuses a whole review when one comment points outside the
// diff; the fake GitHub refuses it the same way (test/fakes/fake-github.ts).
import { ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { GitHubCodeHost } from "../../src/adapters/github/repository/code-host.ts";
import { appHarness, type AppHarness } from "../fakes/app-harness.ts";
import { taskOf } from "../fakes/app-scenario.ts";
import { codeBlocks, lists } from "../fakes/gfm.ts";
import { cassetteWith, demoCassette } from "../fakes/harness.ts";

let h: AppHarness | undefined;
afterEach(() => {
  h?.stop();
  h = undefined;
});

const BRANCH = "orchestrator/issue-42-add-a-truncate-helper";

/** The demo, with S1's first review pointing at lines: one the step added, one it did not. */
async function cassette() {
  const demo = await demoCassette();
  const usage = demo.calls.find((c) => c.role === "code_reviewer" && c.step === "S1")?.usage;
  return cassetteWith({
    role: "code_reviewer",
    step: "S1",
    ...(usage ? { usage } : {}),
    object: {
      status: "needs_changes",
      required_changes: ["Validate max and throw a RangeError when it is not a positive integer."],
      optional_improvements: [],
      comments: [
        {
          path: "src/truncate.js",
          line: 2,
          body: "`max` is used unchecked: a negative max returns a wrong slice. cc @core-team",
          suggestion:
            'export function truncate(text, max) {\n  if (!Number.isInteger(max) || max < 1) throw new RangeError("max must be a positive integer");',
        },
        { path: "README.md", line: 1, body: "Name truncate in the README." },
      ],
      scores: { correctness: 6, readability: 9, tests: 5 },
    },
  });
}

async function run(): Promise<AppHarness> {
  h = await appHarness({ cassette: await cassette() });
  await h.deliver("issues", h.labeled());
  const head = (await h.head(BRANCH)) ?? "";
  h.github.completeCheck({ sha: head, conclusion: "success", branch: BRANCH });
  await h.deliver("check_suite", h.checkSuite(head, BRANCH));
  expect(taskOf(h.github)?.state).toBe("done");
  return h;
}

describe("the code reviewer's findings on the lines of the pull request", () => {
  it("one review per round; a finding on an added line is a line comment with a suggestion, one elsewhere goes into the review's text", async () => {
    const x = await run();
    const ours = x.github.reviews.filter((r) => r.user.type === "Bot");
    // One review per round of the code reviewer (S1 twice: needs changes, then approved).
    const rounds = x.replay.requests.filter((r) => r.tag.role === "code_reviewer");
    expect(ours).toHaveLength(rounds.length);
    const first = ours[0];
    const comments = x.github.reviewComments.filter((c) => c.review === first?.id);
    expect(comments.map((c) => [c.path, c.line])).toEqual([["src/truncate.js", 2]]);
    const [suggestion] = codeBlocks(comments[0]?.body ?? "");
    expect(suggestion?.lang).toBe("suggestion");
    expect(suggestion?.value).toContain('throw new RangeError("max must be a positive integer")');
    // A model's mention is neutralised in a line comment too.
    expect(comments[0]?.body).toContain("@core-team");
    expect(comments[0]?.body).not.toMatch(/(^|[^`])@core-team/);
    const items = lists(first?.body ?? "").flatMap((l) => l.items);
    expect(items).toContain("README.md line 1: Name truncate in the README.");
    // The next attempt is told each finding with its place and the suggested line.
    const again = JSON.stringify(
      x.replay.requests.find(
        (r) => r.tag.role === "implementer" && r.tag.step === "S1" && r.tag.attempt === 2,
      )?.messages,
    );
    expect(again).toContain("src/truncate.js line 2: `max` is used unchecked");
    expect(again).toContain("README.md line 1: Name truncate in the README.");
  });

  it("a review GitHub refuses for a line outside the diff is posted again with its comments in the text", async () => {
    const x = await run();
    const host = new GitHubCodeHost({
      github: new ProbotOctokit({
        auth: { token: "ghs_test" },
        throttle: { enabled: false },
        retry: { enabled: false },
      }),
      repo: { owner: x.github.owner, repo: x.github.repo },
      issue: 42,
      baseBranch: "main",
      ownLogin: () => Promise.resolve(`${x.github.appSlug}[bot]`),
    });
    const doc = taskOf(x.github);
    const before = x.github.reviews.length;
    const posts = () =>
      x.github.requests.filter((q) => q.method === "POST" && q.path.endsWith("/reviews")).length;
    const postsBefore = posts();
    await host.postReview({
      key: "42:late:review",
      known: doc?.pullRequest ?? "",
      branch: BRANCH,
      commit: (await x.head(BRANCH)) ?? "",
      body: "**S9** reviewed",
      comments: [
        { path: "src/truncate.js", line: 2, body: "on the diff" },
        { path: "src/truncate.js", line: 999, body: "past the end of the file" },
      ],
      firstAttempt: true,
    });
    const added = x.github.reviews.slice(before);
    expect(added).toHaveLength(1);
    expect(x.github.reviewComments.filter((c) => c.review === added[0]?.id)).toEqual([]);
    expect(added[0]?.body).toContain("**src/truncate.js** line 999:\n\npast the end of the file");
    expect(added[0]?.body).toContain("on the diff");
    // The first was refused whole (nothing created), the second taken.
    expect(posts() - postsBefore).toBe(2);
  });
});

describe("the check run of each reviewed commit", () => {
  it("carries the review's verdict as its conclusion, the diff's size, and a link to the task's issue", async () => {
    const x = await run();
    const ours = x.github.checkRuns.filter((r) => r.external_id?.includes(":check") === true);
    const rounds = x.replay.requests.filter((r) => r.tag.role === "code_reviewer");
    expect(ours).toHaveLength(rounds.length);
    expect(ours.map((r) => r.conclusion)).toEqual([
      "neutral",
      ...Array.from({ length: rounds.length - 1 }, () => "success"),
    ]);
    expect(ours[0]?.output.title).toMatch(
      /^S1 attempt 1: changes asked for · 2 file\(s\), \+\d+ −0$/,
    );
    expect(ours[0]?.output.summary).toContain("- `src/truncate.js`: +");
    for (const r of ours)
      expect(r.details_url).toBe(`https://github.com/${x.github.owner}/${x.github.repo}/issues/42`);
  });
});
