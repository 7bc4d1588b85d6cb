import { ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { GitHubCodeHost } from "../../src/adapters/github/repository/code-host.ts";
import { withMarker } from "../../src/adapters/github/repository/markers.ts";
import { FakeGitHub } from "../fakes/fake-github.ts";

let fake: FakeGitHub | undefined;
afterEach(() => {
  fake?.stop();
  fake = undefined;
});

async function opened(): Promise<{ fake: FakeGitHub; host: GitHubCodeHost; known: string }> {
  const github = new FakeGitHub().start();
  fake = github;
  const host = new GitHubCodeHost({
    github: new ProbotOctokit({
      auth: { token: "ghs_test" },
      throttle: { enabled: false },
      retry: { enabled: false },
    }),
    repo: { owner: github.owner, repo: github.repo },
    issue: 42,
    baseBranch: "main",
    ownLogin: () => Promise.resolve(`${github.appSlug}[bot]`),
  });
  const { ref } = await host.ensurePullRequest({
    branch: BRANCH,
    title: "t",
    body: "b",
    draft: true,
    firstAttempt: true,
  });
  return { fake: github, host, known: ref };
}

const KEY = "42:implementing:S1:1:review";
const BRANCH = "orchestrator/issue-42-x";

describe("the code host writes only where the task is: its own markers, its own pull request", () => {
  it("a person's review that copies our marker does not stand in for our review", async () => {
    const { fake, host, known } = await opened();
    const pull = fake.pulls[0]?.number ?? 0;
    fake.submitReview(pull, { by: "mallory", state: "COMMENTED", body: withMarker("LGTM", KEY) });
    await host.postReview({
      key: KEY,
      known,
      branch: BRANCH,
      commit: "a".repeat(40),
      body: "ours",
      comments: [],
      firstAttempt: false,
    });
    const ours = fake.reviews.filter((r) => r.user.login === `${fake.appSlug}[bot]`);
    expect(ours.map((r) => r.body)).toEqual([withMarker("ours", KEY)]);
  });

  it("a person's reply that copies our reply's marker does not stand in for our reply", async () => {
    const { fake, host, known } = await opened();
    const pull = fake.pulls[0]?.number ?? 0;
    const review = fake.submitReview(pull, {
      by: "maintainer",
      state: "CHANGES_REQUESTED",
      comments: [{ path: "a.js", line: 1, body: "fix" }],
    });
    const comment = fake.reviewComments.find((c) => c.review === review.id);
    if (!comment) throw new Error("no comment");
    fake.reviewComments.push({
      ...comment,
      id: comment.id + 1000,
      body: withMarker("done already", `${KEY}:${String(comment.id)}`),
      user: { login: "mallory", type: "User" },
      in_reply_to_id: comment.id,
    });
    await host.answerReview({
      key: KEY,
      known,
      branch: BRANCH,
      comments: [comment.id],
      body: "Addressed",
      firstAttempt: false,
    });
    const ours = fake.reviewComments.filter(
      (c) => c.in_reply_to_id === comment.id && c.user.login === `${fake.appSlug}[bot]`,
    );
    expect(ours).toHaveLength(1);
  });

  it("a stored reference to another pull request is not used: the task branch's own is", async () => {
    const { fake, host, known } = await opened();
    const other = fake.pulls.length;
    fake.pulls.push({
      number: 777,
      node_id: "PR_other",
      head: "feature/someone-else",
      base: "main",
      title: "Someone else's work",
      body: "theirs",
      draft: false,
      state: "open",
    });
    const planted = "777:PR_other:ready";
    await host.postReview({
      key: KEY,
      known: planted,
      branch: BRANCH,
      commit: "a".repeat(40),
      body: "ours",
      comments: [],
      firstAttempt: true,
    });
    await host.ensurePullRequest({
      branch: BRANCH,
      title: "ours",
      body: "b",
      draft: false,
      known: planted,
    });
    expect(fake.reviews.every((r) => r.pull !== 777)).toBe(true);
    expect(fake.pulls[other]).toMatchObject({ title: "Someone else's work", body: "theirs" });
    expect(fake.pulls[0]?.title).toBe("ours");
    expect(known.startsWith(`${String(fake.pulls[0]?.number)}:`)).toBe(true);
  });
});
