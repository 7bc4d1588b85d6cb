import { TaskDocument } from "../../src/core/task/document.ts";
import { awaitingGate } from "../../src/core/task/transition.ts";
import type { Cassette } from "../../src/providers/replay/cassette.ts";
import { ReplayModels } from "../../src/providers/replay/replay-model.ts";
import { Git } from "../../src/adapters/git/git.ts";
import { appHarness, githubWorld, TEXT_ISSUE, type AppHarness } from "./app-harness.ts";
import type { FakeGitHub } from "./fake-github.ts";
import { demoCassette } from "./harness.ts";
import { tmpdir } from "node:os";

export type World = Awaited<ReturnType<typeof githubWorld>>;

export function taskOf(github: FakeGitHub): TaskDocument | null {
  const text = github.stateFile(`tasks/${TEXT_ISSUE.number}.json`);
  return text ? TaskDocument.parse(JSON.parse(text)) : null;
}

/** What a person would see on GitHub at the end, in a form two runs can be compared by. */
export async function snapshot(world: World) {
  const { github, bare } = world;
  const doc = taskOf(github);
  const log = doc
    ? await new Git({ cwd: tmpdir(), gitDir: bare })
        .output(["log", "--format=%H %T %s", `main..${doc.branch}`])
        .catch(() => "")
    : "";
  return {
    comments: github
      .issueComments(TEXT_ISSUE.number)
      .map((c) => c.body)
      .sort(),
    pulls: github.pulls.map((p) => ({
      head: p.head,
      title: p.title,
      body: p.body,
      draft: p.draft,
    })),
    commits: log.trim().split("\n"),
    // The lease is timing; the pull request's and check runs' ids are GitHub's numbering.
    task: doc
      ? {
          ...doc,
          lease: null,
          pullRequest: doc.pullRequest === null ? null : "set",
          gate: {
            ...doc.gate,
            results: doc.gate.results.map((r) => ({
              ...r,
              checks: r.checks.map(({ id: _id, url: _url, ...c }) => c),
            })),
          },
        }
      : null,
    runLog: github.stateFile(`runs/${TEXT_ISSUE.number}.md`),
    checks: github.checkRuns
      .filter((r) => r.name === "orchestrator")
      .map((r) => `${r.head_sha} ${r.external_id ?? ""}`)
      .sort(),
    labels: [...(github.issues.get(TEXT_ISSUE.number)?.labels ?? [])].sort(),
  };
}

/**
 * Label the issue, then act as CI (red on the first gate run, green after) until the task is
 * done. A worker that died (the fake stopped answering after `crashAt` writes) is replaced by a
 * new one, whose start-up sweep resumes the task.
 */
/**
 * CI finishes the run a task waits for, once: red (the first time and when run again) until a
 * fix is pushed, then green.
 */
export function answerCi(world: World, doc: TaskDocument, sha: string): void {
  const latest = world.github.checkRuns
    .filter((r) => r.head_sha === sha && r.name === "test")
    .at(-1);
  if (latest?.status === "completed") return;
  world.github.completeCheck({
    sha,
    conclusion: doc.gate.fixes === 0 ? "failure" : "success",
    summary: "not ok 2 - cuts long text",
  });
}

export async function labelToPullRequest(
  options: { crashAt?: number | null; world?: World; cassette?: Cassette } = {},
): Promise<{ world: World; worker: AppHarness; restarts: number }> {
  const world = options.world ?? (await githubWorld());
  const replay = new ReplayModels(options.cassette ?? (await demoCassette()));
  world.github.writesLeft = options.crashAt ?? null;
  let worker = await appHarness({ world, replay });
  let restarts = 0;
  await worker.deliver("issues", worker.labeled());
  for (let round = 0; round < 30; round++) {
    if (world.github.dead) {
      world.github.revive();
      worker = await appHarness({ world, replay });
      restarts += 1;
      continue;
    }
    const doc = taskOf(world.github);
    if (!doc || doc.state === "done") break;
    const sha = awaitingGate(doc);
    if (sha === null) {
      await worker.app.sweep();
      await worker.app.queue.idle();
      continue;
    }
    answerCi(world, doc, sha);
    await worker.deliver("check_suite", worker.checkSuite(sha, doc.branch));
  }
  return { world, worker, restarts };
}
