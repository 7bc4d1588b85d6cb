import { readFileSync } from "node:fs";
import { ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import {
  ChecksGate,
  type ChecksGateOptions,
} from "../../src/adapters/github/repository/checks-gate.ts";
import type { GitHub } from "../../src/adapters/github/api/client.ts";
import { useGitHubErrors } from "../../src/adapters/github/api/errors.ts";
import { FakeGitHub } from "../fakes/fake-github.ts";

let fake: FakeGitHub | undefined;
afterEach(() => {
  fake?.stop();
  fake = undefined;
});

const HEAD = "a".repeat(40);
const BASE = "b".repeat(40);

function jobLog(output: string): string {
  return [
    "2026-02-03T04:05:07.0000000Z ##[group]Run npm test",
    "2026-02-03T04:05:07.1000000Z \u001b[36;1mnpm test\u001b[0m",
    "2026-02-03T04:05:07.2000000Z ##[endgroup]",
    ...output.split("\n").map((l) => `2026-02-03T04:05:08.0000000Z ${l}`),
    "2026-02-03T04:05:09.0000000Z ##[error]Process completed with exit code 1.",
  ].join("\n");
}
const VITEST = readFileSync(
  new URL("../fixtures/ci-logs/vitest-deep-equal.log", import.meta.url),
  "utf8",
);

function gate(github: FakeGitHub, options: Partial<ChecksGateOptions> = {}): ChecksGate {
  const client: GitHub = useGitHubErrors(
    new ProbotOctokit({
      auth: { token: "ghs_test" },
      throttle: { enabled: false },
      retry: { enabled: false },
    }),
  );
  return new ChecksGate({
    github: client,
    repo: { owner: github.owner, repo: github.repo },
    baseBranch: "main",
    required: [],
    trustedApps: ["github-actions"],
    ...options,
  });
}

describe("ChecksGate: what the fixer sees", () => {
  it("reads a failed job's log through GitHub's redirect: the failing test, its assertion, its place", async () => {
    fake = new FakeGitHub().start();
    const run = fake.completeCheck({ sha: HEAD, conclusion: "failure", log: jobLog(VITEST) });
    const result = await gate(fake).resultFor(HEAD);
    expect(result?.passed).toBe(false);
    const check = result?.checks[0];
    expect(check).toMatchObject({
      name: "test",
      passed: false,
      reason: "conclusion failure",
      infrastructure: false,
      rerunnable: true,
      redOnBase: false,
      id: String(run.id),
      url: run.details_url,
    });
    expect(check?.output).toContain(
      "✖ src/lib/storage/Test.test.ts > Test > case (src/lib/storage/Test.test.ts:40:15)",
    );
    expect(check?.output).toContain("AssertionError: expected 1 to deeply equal 2");
    expect(check?.output).not.toMatch(/2026-02-03T|##\[/);
    expect(check?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    // The signed download address gets no token of ours.
    expect(fake.logHostAuthorization).toEqual([null]);
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toContain(
      `GET /repos/octo-org/textkit/actions/jobs/${run.id}/logs`,
    );
    expect(fake.unknown).toEqual([]);
  });

  it("an expired log: the check run's own output instead", async () => {
    fake = new FakeGitHub().start();
    const run = fake.completeCheck({
      sha: HEAD,
      conclusion: "failure",
      summary: "not ok 2 - cuts long text",
    });
    fake.jobLogs.delete(run.id);
    const check = (await gate(fake).resultFor(HEAD))?.checks[0];
    expect(check?.output).toContain("✖ cuts long text");
  });

  it("CI's own failures are infrastructure: timed out, cancelled, the runner lost", async () => {
    fake = new FakeGitHub().start();
    fake.completeCheck({ sha: HEAD, name: "unit", conclusion: "timed_out" });
    fake.completeCheck({
      sha: HEAD,
      name: "e2e",
      conclusion: "failure",
      log: jobLog(
        "The runner has received a shutdown signal. This can happen when the runner service is stopped.",
      ),
    });
    fake.completeCheck({ sha: HEAD, name: "lint", conclusion: "failure", log: jobLog(VITEST) });
    const checks = (await gate(fake).resultFor(HEAD))?.checks ?? [];
    expect(Object.fromEntries(checks.map((c) => [c.name, c.infrastructure]))).toEqual({
      unit: true,
      e2e: true,
      lint: false,
    });
  });

  it("the same failure on the base branch's latest run of the workflow is red on base; another one is not", async () => {
    fake = new FakeGitHub().start();
    fake.completeCheck({ sha: BASE, branch: "main", conclusion: "failure", log: jobLog(VITEST) });
    fake.completeCheck({
      sha: HEAD,
      branch: "orchestrator/issue-42",
      conclusion: "failure",
      log: jobLog(VITEST),
    });
    expect((await gate(fake).resultFor(HEAD))?.checks[0]?.redOnBase).toBe(true);

    fake.stop();
    fake = new FakeGitHub().start();
    fake.completeCheck({
      sha: BASE,
      branch: "main",
      conclusion: "failure",
      log: jobLog("Error: something else broke"),
    });
    fake.completeCheck({
      sha: HEAD,
      branch: "orchestrator/issue-42",
      conclusion: "failure",
      log: jobLog(VITEST),
    });
    expect((await gate(fake).resultFor(HEAD))?.checks[0]?.redOnBase).toBe(false);
  });

  it("another app's check: its output and annotations, and where to read more", async () => {
    fake = new FakeGitHub().start();
    const run = fake.completeCheck({
      sha: HEAD,
      conclusion: "failure",
      summary: "src/a.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.",
    });
    run.app = { slug: "circleci-checks" };
    run.details_url = "https://app.circleci.com/pipelines/github/octo-org/textkit/12";
    const check = (await gate(fake, { trustedApps: ["circleci-checks"] }).resultFor(HEAD))
      ?.checks[0];
    expect(check).toMatchObject({
      rerunnable: false,
      url: "https://app.circleci.com/pipelines/github/octo-org/textkit/12",
    });
    expect(check?.output).toContain("TS2322: Type 'string' is not assignable to type 'number'.");
    expect(fake.requests.some((r) => r.path.includes("/actions/"))).toBe(false);
  });
});

describe("ChecksGate: when the gate is satisfied", () => {
  it("only the head's newest runs from trusted apps count; skipped is not success; until all complete, pending", async () => {
    fake = new FakeGitHub().start();
    fake.completeCheck({ sha: "c".repeat(40), conclusion: "failure" });
    const other = fake.completeCheck({ sha: HEAD, name: "lint", conclusion: "failure" });
    other.app = { slug: "someone-else" };
    fake.completeCheck({ sha: HEAD, conclusion: "success" });
    expect(await gate(fake).resultFor(HEAD)).toMatchObject({ passed: true, commit: HEAD });
    expect(await gate(fake, { required: ["test", "typecheck"] }).resultFor(HEAD)).toBeNull();
    fake.completeCheck({ sha: HEAD, name: "typecheck", conclusion: "skipped" });
    expect(await gate(fake, { required: ["test", "typecheck"] }).resultFor(HEAD)).toMatchObject({
      passed: false,
      checks: [
        { name: "test", passed: true },
        { name: "typecheck", passed: false, reason: "conclusion skipped" },
      ],
    });
  });
});

describe("ChecksGate: running failed jobs again", () => {
  it("asks once per workflow run; the gate is pending until the new run ends; asking again starts nothing", async () => {
    fake = new FakeGitHub().start();
    fake.completeCheck({ sha: HEAD, conclusion: "failure", log: jobLog(VITEST) });
    fake.completeCheck({ sha: HEAD, name: "lint", conclusion: "failure", log: jobLog(VITEST) });
    const g = gate(fake);
    expect(await g.rerun({ commit: HEAD, checks: ["test", "lint"] })).toEqual({ started: true });
    expect(fake.reruns).toHaveLength(1);
    expect(await g.resultFor(HEAD)).toBeNull();
    expect(await g.rerun({ commit: HEAD, checks: ["test", "lint"] })).toEqual({ started: true });
    expect(fake.reruns).toHaveLength(1);
    fake.completeCheck({ sha: HEAD, conclusion: "success" });
    fake.completeCheck({ sha: HEAD, name: "lint", conclusion: "success" });
    expect(await g.resultFor(HEAD)).toMatchObject({ passed: true });
    expect(fake.unknown).toEqual([]);
  });

  it("without the Actions (write) permission: refused, with the reason", async () => {
    fake = new FakeGitHub().start();
    fake.actionsWrite = false;
    fake.completeCheck({ sha: HEAD, conclusion: "timed_out" });
    expect(await gate(fake).rerun({ commit: HEAD, checks: ["test"] })).toEqual({
      refused:
        "the installation has not granted the Actions (write) permission, so failed jobs are not run again",
    });
  });
});
