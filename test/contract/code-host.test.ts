import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { GitHubCodeHost } from "../../src/adapters/github/repository/code-host.ts";
import { FileCodeHost } from "../../src/adapters/local/file-code-host.ts";
import type { CodeHost } from "../../src/ports/code-host.ts";
import { FakeGitHub } from "../fakes/fake-github.ts";

/** A code host, and what a reviewer would see: pull requests and reported checks. */
interface Subject {
  readonly host: CodeHost;
  readonly seen: () => Promise<{ pulls: { title: string; draft: boolean }[]; checks: number }>;
}

let stop: (() => void) | undefined;
afterEach(() => {
  stop?.();
  stop = undefined;
});

const subjects: Record<string, () => Promise<Subject>> = {
  FileCodeHost: async () => {
    const directory = await mkdtemp(join(tmpdir(), "contract-host-"));
    const folder = join(directory, "comments", "42");
    return {
      host: new FileCodeHost({ directory }),
      async seen() {
        const text = await readFile(join(folder, "PULL_REQUEST.md"), "utf8").catch(() => null);
        const checks = await readdir(join(folder, "checks")).catch(() => []);
        return {
          pulls: text
            ? [{ title: /^# (.*)$/m.exec(text)?.[1] ?? "", draft: text.includes("(draft)") }]
            : [],
          checks: checks.length,
        };
      },
    };
  },
  GitHubCodeHost: () => {
    const fake = new FakeGitHub().start();
    stop = () => {
      fake.stop();
    };
    return Promise.resolve({
      host: new GitHubCodeHost({
        github: new ProbotOctokit({
          auth: { token: "ghs_test" },
          throttle: { enabled: false },
          retry: { enabled: false },
        }),
        repo: { owner: fake.owner, repo: fake.repo },
        issue: 42,
        baseBranch: "main",
        ownLogin: () => Promise.resolve(`${fake.appSlug}[bot]`),
      }),
      seen: () =>
        Promise.resolve({
          pulls: fake.pulls.map((p) => ({ title: p.title, draft: p.draft })),
          checks: fake.checkRuns.filter((r) => r.name === "orchestrator").length,
        }),
    });
  },
};

const SHA = "a".repeat(40);

describe.each(Object.keys(subjects))("CodeHost contract: %s", (name) => {
  const subject = (): Promise<Subject> => {
    const make = subjects[name];
    if (!make) throw new Error(`no ${name}`);
    return make();
  };

  it("one pull request per branch: a repeat updates it, and a later sync marks it ready", async () => {
    const s = await subject();
    const base = { task: "42", branch: "orchestrator/issue-42-x", body: "b" };
    const first = await s.host.ensurePullRequest({
      ...base,
      title: "T",
      draft: true,
      firstAttempt: true,
    });
    await s.host.ensurePullRequest({ ...base, title: "T, renamed", draft: true });
    await s.host.ensurePullRequest({
      ...base,
      title: "T, renamed",
      draft: false,
      known: first.ref,
    });
    expect((await s.seen()).pulls).toEqual([{ title: "T, renamed", draft: false }]);
  });

  it("a commit is reported once per key, however often it is asked", async () => {
    const s = await subject();
    const check = {
      task: "42",
      commit: SHA,
      title: "S1",
      summary: "s",
      conclusion: "success" as const,
    };
    await s.host.reportCheck({ ...check, key: "42:implementing:S1:1:check", firstAttempt: true });
    await s.host.reportCheck({ ...check, key: "42:implementing:S1:1:check" });
    expect((await s.seen()).checks).toBe(1);
  });
});
