import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { FakeGitHub } from "../fakes/fake-github.ts";

function client(): InstanceType<typeof ProbotOctokit> {
  return new ProbotOctokit({
    auth: { token: "ghs_test" },
    throttle: { enabled: false },
    retry: { enabled: false },
  });
}

/** The fake GitHub holds the app to GitHub's published description; these show it would notice. */
describe("the fake GitHub checks requests against GitHub's API description", () => {
  it("an undocumented query parameter, a body that misses a required field, or an unknown GraphQL field fails the test", async () => {
    const fake = new FakeGitHub().start();
    const github = client();
    const repo = { owner: fake.owner, repo: fake.repo };
    fake.issues.set(1, { title: "t", body: "b", labels: new Set(), events: [] });
    await github.request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      ...repo,
      issue_number: 1,
      sort: "newest",
    });
    await github
      // Typed Octokit would not let this through; a plain route string does, as a bug would.
      .request(`POST /repos/${repo.owner}/${repo.repo}/issues/1/comments`, {
        text: "no body field",
      })
      .catch(() => undefined);
    await github
      .graphql(`query { repository(owner: "o", name: "r") { colour } }`)
      .catch(() => undefined);
    expect(() => {
      fake.stop();
    }).toThrow(
      /query parameter sort is not documented[\s\S]*body: data must have required property 'body'[\s\S]*GraphQL: Cannot query field "colour"/,
    );
  });

  it("documented requests pass, and answers are completed to the documented shape", async () => {
    const fake = new FakeGitHub().start();
    fake.issues.set(1, { title: "t", body: "b", labels: new Set(), events: [] });
    const { data } = await client().rest.issues.createComment({
      owner: fake.owner,
      repo: fake.repo,
      issue_number: 1,
      body: "hello",
    });
    expect(data.body).toBe("hello");
    expect(typeof data.html_url).toBe("string");
    expect(() => {
      fake.stop();
    }).not.toThrow();
  });
});
