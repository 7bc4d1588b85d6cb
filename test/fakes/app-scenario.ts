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
    // The lease is timing; the pull request's id is GitHub's numbering, compared through `pulls`.
    task: doc
      ? { ...doc, lease: null, pullRequest: doc.pullRequest === null ? null : "set" }
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
    if (!world.github.checkRuns.some((r) => r.head_sha === sha && r.name === "test")) {
      world.github.completeCheck({
        sha,
        conclusion: doc.gate.runs === 1 ? "failure" : "success",
        summary: "not ok 2 - cuts long text",
      });
    }
    await worker.deliver("check_suite", worker.checkSuite(sha, doc.branch));
  }
  return { world, worker, restarts };
}
