import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { GitHubApiError, useGitHubErrors } from "../../src/adapters/github/api/errors.ts";
import { GitHubIssueTracker } from "../../src/adapters/github/repository/issue-tracker.ts";

const API = "https://api.github.com";

afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

function client() {
  return useGitHubErrors(
    new ProbotOctokit({
      auth: { token: "ghs_test" },
      throttle: { enabled: false },
      retry: { enabled: false },
    }),
  );
}

describe("GitHub's answers", () => {
  it.each([
    [502, {}, true, undefined],
    [404, {}, false, undefined],
    [403, { "retry-after": "30" }, true, 30_000],
    [422, {}, false, undefined],
  ] as const)(
    "a %i is a GitHubApiError with the request id and whether to retry",
    async (status, headers, retryable, retryAfterMs) => {
      nock.disableNetConnect();
      nock(API)
        .get("/repos/o/r/issues/1/labels")
        .reply(status, { message: "nope" }, { "x-github-request-id": "ABCD:1234", ...headers });
      const error = await client()
        .rest.issues.listLabelsOnIssue({ owner: "o", repo: "r", issue_number: 1 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GitHubApiError);
      expect(error).toMatchObject({ status, requestId: "ABCD:1234", retryable, retryAfterMs });
      expect((error as Error).message).toMatch(
        /GET \/repos\/\{owner\}\/\{repo\}\/issues\/\{issue_number\}\/labels failed with \d+: nope \(request ABCD:1234\)/,
      );
    },
  );

  it("an answer without a field the app reads fails where it arrives, not later", async () => {
    nock.disableNetConnect();
    nock(API)
      .get("/repos/o/r/issues/1/comments")
      .query(true)
      .reply(200, [{ id: 5, body: "x" }]);
    const tracker = new GitHubIssueTracker({
      github: client(),
      repo: { owner: "o", repo: "r" },
      issue: 1,
      appId: 1,
      now: () => 0,
    });
    await expect(
      tracker.latestBefore(":escalation", { id: 9, createdAt: "2026-01-01T00:00:00Z" }),
    ).rejects.toThrow(/created_at/);
  });
});

describe("signing the App's token", () => {
  /** A client whose signing step fails `times` times with `failure` before it signs. */
  function signing(failure: () => unknown, times: number) {
    const github = new ProbotOctokit({
      auth: { token: "ghs_test" },
      throttle: { enabled: false },
      retry: { enabled: false },
    });
    let tries = 0;
    // Inside the errors layer, as the App token's signing is (the auth hook runs in `request`).
    github.hook.wrap("request", async (request, options) => {
      tries += 1;
      if (tries <= times) throw failure();
      return request(options);
    });
    return { github: useGitHubErrors(github), tries: () => tries };
  }
  // What Node's WebCrypto threw in the suite: a DataError whose cause is OpenSSL's queue.
  const hiccup = () =>
    Object.assign(new DOMException("Invalid keyData", "DataError"), {
      cause: Object.assign(new Error("error:0680009B:asn1 encoding routines::too long"), {
        code: "ERR_OSSL_ASN1_TOO_LONG",
      }),
    });

  it("is tried once more when OpenSSL fails before anything was sent, and then signs", async () => {
    nock.disableNetConnect();
    nock(API).get("/repos/o/r/issues/1/labels").reply(200, []);
    const s = signing(hiccup, 1);
    await s.github.rest.issues.listLabelsOnIssue({ owner: "o", repo: "r", issue_number: 1 });
    expect(s.tries()).toBe(2);
  });

  it("is not tried a third time, and no other failure is tried again here", async () => {
    const twice = signing(hiccup, 2);
    await expect(
      twice.github.rest.issues.listLabelsOnIssue({ owner: "o", repo: "r", issue_number: 1 }),
    ).rejects.toThrow("Invalid keyData");
    expect(twice.tries()).toBe(2);
    const other = signing(() => new Error("socket hang up"), 1);
    await expect(
      other.github.rest.issues.listLabelsOnIssue({ owner: "o", repo: "r", issue_number: 1 }),
    ).rejects.toThrow("socket hang up");
    expect(other.tries()).toBe(1);
  });
});
