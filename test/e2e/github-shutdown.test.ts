// A replica told to stop (SIGTERM on a deploy) while a task runs: it takes no further effect,
// and the task's lease is given back, so another replica resumes the task at once, at the same
// clock, instead of after the lease (15 minutes in production) runs out.
import { afterEach, describe, expect, it } from "vitest";
import type { LanguageModel } from "../../src/ports/language-model.ts";
import { appHarness, githubWorld, type AppHarness } from "../fakes/app-harness.ts";
import { taskOf, type World } from "../fakes/app-scenario.ts";
import { demoCassette } from "../fakes/harness.ts";
import { ReplayModels } from "../../src/providers/replay/replay-model.ts";

let world: World | undefined;
afterEach(() => {
  world?.github.stop();
  world = undefined;
});

/** The harness's models, the first call of which waits until `open()` (a long model call). */
function heldFirstCall(clients: readonly LanguageModel[]) {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  let reached: () => void = () => undefined;
  const waiting = new Promise<void>((resolve) => (reached = resolve));
  let calls = 0;
  const wrapped = clients.map((client): LanguageModel => ({
    provider: client.provider,
    generate: async (request, options) => {
      if (calls++ === 0) {
        reached();
        await opened;
      }
      return client.generate(request, options);
    },
  }));
  return { wrapped, waiting, open, calls: () => calls };
}

async function stoppingReplica(w: World) {
  const replay = new ReplayModels(await demoCassette());
  const held = heldFirstCall(replay.providers.map((p) => replay.client(p)));
  const replica = await appHarness({
    world: w,
    replay,
    overrides: { owner: "replica-stopping", clients: held.wrapped },
  });
  return { replica, held };
}

/** Delivers the label without waiting for its work (which is held inside a model call). */
function startTask(replica: AppHarness): void {
  void replica.probot.receive({
    id: "delivery-label",
    name: "issues",
    payload: replica.labeled(),
  } as never);
}

describe("a replica that stops while a task runs", () => {
  it("gives the lease back at the deadline, and another replica resumes the task at once", async () => {
    world = await githubWorld();
    const { replica, held } = await stoppingReplica(world);
    startTask(replica);
    await held.waiting;
    expect(taskOf(world.github)?.lease?.owner).toBe("replica-stopping");

    const stopped = await replica.app.shutdown(50);
    expect(stopped).toEqual({ drained: false, released: 1 });
    const left = taskOf(world.github);
    expect(left?.lease).toBeNull();
    expect(left?.outbox.length).toBeGreaterThan(0);

    const next = await appHarness({ world, overrides: { owner: "replica-next" } });
    await next.app.sweep();
    await next.app.queue.idle();
    const resumed = taskOf(world.github);
    expect(resumed?.state).not.toBe(left?.state);
    expect(resumed?.history.length).toBeGreaterThan(left?.history.length ?? 0);
  }, 60_000);

  it("lets the effect in flight finish within the deadline, then stops and gives the lease back", async () => {
    world = await githubWorld();
    const { replica, held } = await stoppingReplica(world);
    startTask(replica);
    await held.waiting;
    const running = taskOf(world.github)?.outbox[0]?.key;
    const stopping = replica.app.shutdown(60_000);
    held.open();
    expect(await stopping).toEqual({ drained: true, released: 0 });
    const left = taskOf(world.github);
    expect(left?.lease).toBeNull();
    // The planner's answer was saved; nothing after it ran.
    expect(held.calls()).toBe(1);
    expect(left?.outbox.length).toBeGreaterThan(0);
    expect(left?.outbox[0]?.key).not.toBe(running);
  }, 60_000);
});
