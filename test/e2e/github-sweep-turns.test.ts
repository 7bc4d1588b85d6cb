// Replicas behind one webhook URL take turns sweeping an installation: whoever creates the
// turn's ref in the installation's first repository sweeps it until the turn ends.
import { afterEach, describe, expect, it } from "vitest";
import { sweepTurn, turnRef } from "../../src/core/sweep/turns.ts";
import { appHarness, githubWorld, type AppHarness } from "../fakes/app-harness.ts";
import type { FakeGitHub } from "../fakes/fake-github.ts";
import { FIXED_NOW } from "../fakes/harness.ts";

let github: FakeGitHub | undefined;
afterEach(() => {
  github?.stop();
  github = undefined;
});

const TURN_MS = 60_000;
const INSTALLATION = 1;

/** The turn refs on the installation's first repository. */
const turnRefs = (g: FakeGitHub) =>
  [...g.refs.keys()].filter((ref) => ref.startsWith("orchestrator/sweep/")).sort();

/** What one replica's sweep asked GitHub for. */
async function sweepOf(h: AppHarness) {
  const before = h.github.requests.length;
  await h.app.sweep();
  await h.app.queue.idle();
  const calls = h.github.requests.slice(before);
  return {
    swept: calls.some((r) => r.operation === "sweepSnapshot"),
    requests: calls.length,
    writes: calls.filter((r) => r.write && !r.path.endsWith("/access_tokens")).length,
  };
}

async function threeReplicas(
  clock: { now: () => number },
  fetchOf: (i: number) => typeof fetch = () => globalThis.fetch,
) {
  const world = await githubWorld();
  github = world.github;
  for (let i = 1; i < 30; i++)
    world.github.otherRepositories.push({ name: `repo-${String(i)}`, files: new Map() });
  const replicas: AppHarness[] = [];
  // Each sweeps once as it starts.
  for (const i of [0, 1, 2])
    replicas.push(
      await appHarness({
        world,
        overrides: { owner: `replica-${String(i)}`, clock, leaseMs: TURN_MS, takeTurns: true },
        fetch: fetchOf(i),
      }),
    );
  return { world, replicas };
}

describe("replicas take turns sweeping an installation", () => {
  it("one replica sweeps each turn; the others leave the installation alone until the turn ends, when another may take it and removes the last turn's ref", async () => {
    let now = FIXED_NOW;
    const clock = { now: () => now };
    const { world, replicas } = await threeReplicas(clock);
    const [first, second, third] = replicas as [AppHarness, AppHarness, AppHarness];
    const turn = sweepTurn(INSTALLATION, now, TURN_MS);

    // At start-up the first replica claimed the turn and read the 30 repositories; the others
    // saw its ref and read none.
    expect(turnRefs(world.github)).toEqual([turnRef(turn)]);
    expect(world.github.requests.filter((r) => r.operation === "sweepSnapshot")).toHaveLength(2);

    // Later passes in the same turn: the holder sweeps; the others only list installations.
    expect(await sweepOf(first)).toMatchObject({ swept: true, writes: 0 });
    for (const other of [second, third])
      expect(await sweepOf(other)).toEqual({ swept: false, requests: 1, writes: 0 });

    // The holder dies. Until its turn ends, nobody sweeps; then the first to look takes the next.
    now += TURN_MS;
    const next = sweepTurn(INSTALLATION, now, TURN_MS);
    expect(next).toBe(turn + 1);
    expect(await sweepOf(third)).toMatchObject({ swept: true, writes: 2 });
    expect(turnRefs(world.github)).toEqual([turnRef(next)]);
    expect(await sweepOf(second)).toMatchObject({ swept: false, writes: 0 });
    expect(await sweepOf(third)).toMatchObject({ swept: true, writes: 0 });
  });

  it("a replica whose clock runs behind leaves alone an installation whose later turn is taken", async () => {
    let now = FIXED_NOW;
    const { world } = await threeReplicas({ now: () => now });
    const turn = sweepTurn(INSTALLATION, now, TURN_MS);
    // Another process, a turn ahead, took its turn and removed this one's.
    const sha = world.github.refs.get(turnRef(turn)) ?? "";
    world.github.refs.delete(turnRef(turn));
    world.github.refs.set(turnRef(turn + 1), sha);
    now += 1;
    const fresh = await appHarness({
      world,
      overrides: {
        owner: "late-clock",
        clock: { now: () => now },
        leaseMs: TURN_MS,
        takeTurns: true,
      },
    });
    expect(world.github.requests.filter((r) => r.operation === "sweepSnapshot")).toHaveLength(2);
    expect(await sweepOf(fresh)).toMatchObject({ swept: false });
    expect(turnRefs(world.github)).toEqual([turnRef(turn + 1)]);
  });

  it("a planted far-future turn ref stops no sweep: the current turn is claimed and the planted ref removed", async () => {
    const now = FIXED_NOW;
    const world = await githubWorld();
    github = world.github;
    const turn = sweepTurn(INSTALLATION, now, TURN_MS);
    const sha = "c".repeat(40);
    world.github.refs.set(turnRef(turn + 1_000_000), sha);
    world.github.refs.set(turnRef(999_999_999_999_999), sha);
    const replica = await appHarness({
      world,
      overrides: { owner: "replica", clock: { now: () => now }, leaseMs: TURN_MS, takeTurns: true },
    });
    expect(world.github.requests.filter((r) => r.operation === "sweepSnapshot")).toHaveLength(1);
    expect(turnRefs(world.github)).toEqual([turnRef(turn)]);
    expect(await sweepOf(replica)).toMatchObject({ swept: true });
  });

  it("a replica restarted within its own turn cannot tell the turn was its own: it sweeps from the next turn", async () => {
    let now = FIXED_NOW;
    const clock = { now: () => now };
    const { world } = await threeReplicas(clock);
    const restarted = await appHarness({
      world,
      overrides: { owner: "replica-0", clock, leaseMs: TURN_MS, takeTurns: true },
    });
    expect(await sweepOf(restarted)).toMatchObject({ swept: false });
    now += TURN_MS;
    expect(await sweepOf(restarted)).toMatchObject({ swept: true, writes: 2 });
  });

  it("when GitHub refuses the turn's ref, every replica sweeps (sweeping twice costs requests, not correctness)", async () => {
    const refused = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const url = input instanceof Request ? input.url : input.toString();
      const body = typeof init?.body === "string" ? init.body : "";
      if (
        init?.method === "POST" &&
        url.endsWith("/git/refs") &&
        body.includes("orchestrator/sweep")
      )
        return Promise.resolve(
          Response.json(
            {
              message: "Resource not accessible by integration",
              documentation_url: "https://docs.github.com/rest/git/refs#create-a-reference",
            },
            { status: 403 },
          ),
        );
      return globalThis.fetch(input, init);
    };
    const { world, replicas } = await threeReplicas({ now: () => FIXED_NOW }, () => refused);
    expect(turnRefs(world.github)).toEqual([]);
    expect(world.github.requests.filter((r) => r.operation === "sweepSnapshot")).toHaveLength(6);
    // Having failed once this turn, a replica does not ask again until the next.
    for (const r of replicas) expect(await sweepOf(r)).toMatchObject({ swept: true });
    expect(
      world.github.requests.filter((r) => r.path.includes("/git/matching-refs/")),
    ).toHaveLength(3);
  });
});
