import { ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import {
  ConditionalCache,
  useConditionalRequests,
} from "../../src/adapters/github/api/conditional-requests.ts";
import { readRepoConfig } from "../../src/adapters/github/repository/repo-config.ts";
import { FakeGitHub } from "../fakes/fake-github.ts";

let fake: FakeGitHub | undefined;
afterEach(() => {
  fake?.stop();
  fake = undefined;
});

function client(cache: ConditionalCache, installation = 1) {
  const github = new ProbotOctokit({
    auth: { token: "ghs_test" },
    throttle: { enabled: false },
    retry: { enabled: false },
  });
  return useConditionalRequests(github, cache, installation);
}

describe("conditional requests", () => {
  it("a repeated read is answered 304 with the earlier answer; a change is read again", async () => {
    fake = new FakeGitHub().start();
    fake.files.set(".github/orchestrator.yml", "label: go\n");
    const cache = new ConditionalCache();
    const repo = { owner: fake.owner, repo: fake.repo };
    expect((await readRepoConfig(client(cache), repo, "main")).label).toBe("go");
    expect((await readRepoConfig(client(cache), repo, "main")).label).toBe("go");
    expect(fake.notModified).toBe(1);
    expect(cache.hits).toBe(1);
    fake.files.set(".github/orchestrator.yml", "label: stop\n");
    expect((await readRepoConfig(client(cache), repo, "main")).label).toBe("stop");
    expect(fake.notModified).toBe(1);
  });

  it("answers are kept apart by installation", async () => {
    fake = new FakeGitHub().start();
    fake.files.set(".github/orchestrator.yml", "label: go\n");
    const cache = new ConditionalCache();
    const repo = { owner: fake.owner, repo: fake.repo };
    await readRepoConfig(client(cache, 1), repo, "main");
    await readRepoConfig(client(cache, 2), repo, "main");
    expect(fake.notModified).toBe(0);
  });
});
