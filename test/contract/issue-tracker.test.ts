import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProbotOctokit } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { GitHubIssueTracker } from "../../src/adapters/github/repository/issue-tracker.ts";
import { FileTracker } from "../../src/adapters/local/file-tracker.ts";
import type { IssueTracker } from "../../src/ports/issue-tracker.ts";
import { FakeGitHub } from "../fakes/fake-github.ts";

/** A tracker, what a person reading the task would see, and a way to end a run. */
interface Subject {
  readonly tracker: IssueTracker;
  /** Comment bodies (without our marker), the status last. */
  readonly seen: () => Promise<{ comments: string[]; status: string | null }>;
  /** What the host does when a run ends (the GitHub tracker writes its debounced status). */
  readonly endRun: () => Promise<void>;
}

let stop: (() => void) | undefined;
afterEach(() => {
  stop?.();
  stop = undefined;
});

const subjects: Record<string, () => Promise<Subject>> = {
  FileTracker: async () => {
    const directory = await mkdtemp(join(tmpdir(), "contract-tracker-"));
    const folder = join(directory, "comments", "42");
    return {
      tracker: new FileTracker({ directory }),
      endRun: () => Promise.resolve(),
      async seen() {
        const files = (await readdir(folder).catch(() => [])).sort();
        const read = async (f: string): Promise<string> =>
          (await readFile(join(folder, f), "utf8"))
            .replace(/^<!-- orchestrator:[^>]+ -->\n/, "")
            .trim();
        const comments = (
          await Promise.all(files.filter((f) => f !== "STATUS.md").map(read))
        ).sort();
        const status = files.includes("STATUS.md") ? await read("STATUS.md") : null;
        return { comments, status };
      },
    };
  },
  GitHubIssueTracker: () => {
    const fake = new FakeGitHub().start();
    fake.issues.set(42, { title: "t", body: "b", labels: new Set(), events: [] });
    stop = () => {
      fake.stop();
    };
    const tracker = new GitHubIssueTracker({
      github: new ProbotOctokit({
        auth: { token: "ghs_test" },
        throttle: { enabled: false },
        retry: { enabled: false },
      }),
      repo: { owner: fake.owner, repo: fake.repo },
      issue: 42,
      appId: 1,
      now: () => 0,
    });
    const strip = (body: string): string =>
      body.replace(/\n\n<!-- orchestrator:[^>]+ -->$/, "").trim();
    return Promise.resolve({
      tracker,
      endRun: () => tracker.flush(),
      seen() {
        const ours = fake.issueComments(42).map((c) => c.body);
        const status = ours.find((b) => b.includes("orchestrator:status:"));
        return Promise.resolve({
          comments: ours
            .filter((b) => b !== status)
            .map(strip)
            .sort(),
          status: status === undefined ? null : strip(status),
        });
      },
    });
  },
};

describe.each(Object.keys(subjects))("IssueTracker contract: %s", (name) => {
  const subject = (): Promise<Subject> => {
    const make = subjects[name];
    if (!make) throw new Error(`no ${name}`);
    return make();
  };

  it("a comment is found again by its key: a repeat edits it, never posts it twice", async () => {
    const s = await subject();
    await s.tracker.ensureComment({
      task: "42",
      key: "42:planning:-:1:comment",
      topic: "plan",
      body: "plan v1",
    });
    await s.tracker.ensureComment({
      task: "42",
      key: "42:planning:-:1:comment",
      topic: "plan",
      body: "plan v1, edited",
    });
    await s.tracker.ensureComment({
      task: "42",
      key: "42:plan_review:-:1:comment",
      topic: "plan_review",
      body: "review",
    });
    expect((await s.seen()).comments).toEqual(["plan v1, edited", "review"]);
  });

  it("there is one status, the latest once the run ends", async () => {
    const s = await subject();
    await s.tracker.updateStatus({ task: "42", body: "planning", state: "planning" });
    await s.tracker.updateStatus({ task: "42", body: "implementing S1", state: "implementing" });
    await s.endRun();
    const seen = await s.seen();
    expect(seen.status).toBe("implementing S1");
    expect(seen.comments).toEqual([]);
  });
});
