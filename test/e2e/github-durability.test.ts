import { afterEach, describe, expect, it } from "vitest";
import { appHarness, TEXT_ISSUE } from "../fakes/app-harness.ts";
import { awaitingGate } from "../../src/core/task/transition.ts";
import {
  answerCi,
  labelToPullRequest,
  snapshot,
  taskOf,
  type World,
} from "../fakes/app-scenario.ts";

let world: World | undefined;
afterEach(() => {
  world?.github.stop();
  world = undefined;
});

describe("the GitHub App under redeliveries, reordering and concurrency", () => {
  it("redelivering every delivery, to the same worker and to a fresh one, changes nothing", async () => {
    const run = await labelToPullRequest();
    world = run.world;
    const before = await snapshot(run.world);
    const writes = run.world.github.requests.filter((r) => r.write).length;
    const doc = taskOf(run.world.github);
    const heads = [
      ...new Set(
        run.world.github.checkRuns.filter((r) => r.name === "test").map((r) => r.head_sha),
      ),
    ];
    const deliveries: [string, Record<string, unknown>][] = [
      ["issues", run.worker.labeled()],
      ...heads.map((sha): [string, Record<string, unknown>] => [
        "check_suite",
        run.worker.checkSuite(sha, doc?.branch ?? ""),
      ]),
    ];
    for (const [name, payload] of deliveries) await run.worker.deliver(name, payload, "same-id");
    const fresh = await appHarness({ world: run.world });
    for (const [name, payload] of deliveries) await fresh.deliver(name, payload);
    expect(await snapshot(run.world)).toEqual(before);
    const newWrites = run.world.github.requests
      .filter((r) => r.write)
      .slice(writes)
      .filter((r) => !r.path.endsWith("/access_tokens"));
    expect(newWrites).toEqual([]);
  });

  it("shuffled deliveries (CI results before the label, repeats) give the same final state", async () => {
    const reference = await labelToPullRequest();
    const expected = await snapshot(reference.world);
    const heads = reference.world.github.checkRuns
      .filter((r) => r.name === "test")
      .filter((r, i, all) => all.findIndex((o) => o.head_sha === r.head_sha) === i)
      .map((r) => ({ sha: r.head_sha, conclusion: r.conclusion ?? "" }));
    const branch = taskOf(reference.world.github)?.branch ?? "";
    reference.world.github.stop();

    const { githubWorld } = await import("../fakes/app-harness.ts");
    world = await githubWorld();
    for (const h of heads)
      world.github.completeCheck({
        sha: h.sha,
        conclusion: h.conclusion,
        summary: "not ok 2 - cuts long text",
      });
    const worker = await appHarness({ world });
    const [red, green] = heads;
    const order: [string, Record<string, unknown>][] = [
      ["check_suite", worker.checkSuite(green?.sha ?? "", branch)],
      ["check_suite", worker.checkSuite(red?.sha ?? "", branch)],
      ["issues", worker.labeled()],
      ["issues", worker.labeled()],
      ["check_suite", worker.checkSuite(green?.sha ?? "", branch)],
      ["check_suite", worker.checkSuite(red?.sha ?? "", branch)],
      ["check_suite", worker.checkSuite(green?.sha ?? "", branch)],
    ];
    for (const [name, payload] of order) await worker.deliver(name, payload);
    // A failed job run again finishes after the app asked for it, never before.
    for (let round = 0; round < 4; round++) {
      const doc = taskOf(world.github);
      const sha = doc ? awaitingGate(doc) : null;
      if (!doc || sha === null) break;
      answerCi(world, doc, sha);
      await worker.deliver("check_suite", worker.checkSuite(sha, branch));
    }
    expect(await snapshot(world)).toEqual(expected);
  });

  it("two app instances on one task give one result", async () => {
    const reference = await labelToPullRequest();
    const expected = await snapshot(reference.world);
    reference.world.github.stop();
    const { githubWorld } = await import("../fakes/app-harness.ts");
    world = await githubWorld();
    const a = await appHarness({ world, overrides: { owner: "worker-a" } });
    const b = await appHarness({ world, overrides: { owner: "worker-b" } });
    await Promise.all([
      a.deliver("issues", a.labeled(), "d-a"),
      b.deliver("issues", b.labeled(), "d-b"),
    ]);
    for (let round = 0; round < 6; round++) {
      const doc = taskOf(world.github);
      if (!doc || doc.state === "done") break;
      const { awaitingGate } = await import("../../src/core/task/transition.ts");
      const sha = awaitingGate(doc);
      if (sha === null) {
        await Promise.all([a.app.sweep(), b.app.sweep()]);
        await Promise.all([a.app.queue.idle(), b.app.queue.idle()]);
        continue;
      }
      answerCi(world, doc, sha);
      await Promise.all([
        a.deliver("check_suite", a.checkSuite(sha, doc.branch)),
        b.deliver("check_suite", b.checkSuite(sha, doc.branch)),
      ]);
    }
    const got = await snapshot(world);
    expect(got.task?.state).toBe("done");
    expect({ ...got, task: { ...got.task, lease: null } }).toEqual({
      ...expected,
      task: { ...expected.task, lease: null },
    });
    expect(world.github.pulls).toHaveLength(1);
    expect(
      world.github
        .issueComments(TEXT_ISSUE.number)
        .filter((c) => c.body.includes("orchestrator:status:")),
    ).toHaveLength(1);
  });
});
