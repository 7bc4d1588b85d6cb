// Several replicas of the App behind one webhook URL: any replica may get any delivery, a
// redelivery may land on another, and a replica can die mid-task. Leases and compare-and-swap
// on the state branch must keep the result to one of everything.
import { afterEach, describe, expect, it } from "vitest";
import { awaitingGate } from "../../src/core/task/transition.ts";
import { appHarness, githubWorld, TEXT_ISSUE, type AppHarness } from "../fakes/app-harness.ts";
import {
  answerCi,
  labelToPullRequest,
  snapshot,
  taskOf,
  type World,
} from "../fakes/app-scenario.ts";
import { FIXED_NOW } from "../fakes/harness.ts";
import { seeded } from "../fakes/random.ts";

let world: World | undefined;
afterEach(() => {
  world?.github.stop();
  world = undefined;
});

const LEASE_MS = 60_000;

/** A request that changes something on GitHub (a GraphQL query or a token does not). */
function isWrite(input: string | URL | Request, init: RequestInit | undefined): boolean {
  const url = input instanceof Request ? input.url : input.toString();
  const method = init?.method ?? "GET";
  if (method === "GET" || url.endsWith("/access_tokens")) return false;
  if (!url.endsWith("/graphql")) return true;
  const body = typeof init?.body === "string" ? (JSON.parse(init.body) as { query?: unknown }) : {};
  return typeof body.query === "string" && /^\s*mutation\b/.test(body.query);
}

/** Three replicas over one world; `kill(i, n)`: replica i's requests stop answering after its next n writes. */
async function replicas(w: World, clock: { now: () => number }) {
  const dead = [false, false, false];
  const writesLeft: (number | null)[] = [null, null, null];
  const died: (() => void)[] = [];
  const gone = [0, 1, 2].map((i) => new Promise<void>((resolve) => (died[i] = resolve)));
  const made = await Promise.all(
    [0, 1, 2].map((i) =>
      appHarness({
        world: w,
        overrides: { owner: `replica-${String(i)}`, clock, leaseMs: LEASE_MS, takeTurns: true },
        // A dead replica's requests never answer: it does nothing more, like a killed process.
        fetch: (input, init) => {
          if (!dead[i] && writesLeft[i] === 0 && isWrite(input, init)) {
            dead[i] = true;
            died[i]?.();
          }
          if (dead[i]) return new Promise<Response>(() => undefined);
          const left = writesLeft[i] ?? null;
          if (left !== null && isWrite(input, init)) writesLeft[i] = left - 1;
          return globalThis.fetch(input, init);
        },
      }),
    ),
  );
  return {
    all: made,
    alive: () => made.filter((_, i) => !dead[i]),
    isDead: (i: number) => dead[i] === true,
    /** Settles when replica i dies. */
    gone: (i: number) => gone[i],
    kill: (i: number, afterWrites: number) => {
      writesLeft[i] = afterWrites;
    },
    /** Delivers to replica i; returns when its work is done or it died doing it. */
    deliver: (i: number, name: string, payload: Record<string, unknown>, id?: string) =>
      Promise.race([made[i]?.deliver(name, payload, id), gone[i]]),
  };
}

describe("N replicas behind one webhook URL", () => {
  it.each([
    [2026, 12],
    [7, 25],
    [11, 33],
  ])(
    "3 replicas, deliveries sprayed at random (seed %i, some twice), the working replica killed after %i writes: the task finishes once",
    async (seed, writes) => {
      const reference = await labelToPullRequest();
      const expected = await snapshot(reference.world);
      reference.world.github.stop();

      world = await githubWorld();
      let now = FIXED_NOW;
      const clock = { now: () => now };
      const random = seeded(seed);
      const r = await replicas(world, clock);
      const pick = (among: AppHarness[]): AppHarness =>
        among[Math.floor(random() * among.length)] ?? (among[0] as AppHarness);
      const indexOf = (h: AppHarness) => r.all.indexOf(h);

      // One replica dies part way through the task, wherever that falls. Replica 0, started
      // first, holds the first sweep turn: seed 7 kills it, and a survivor takes the next turn.
      const victim = Math.floor(random() * 3);
      r.kill(victim, writes);
      const label = r.all[victim]?.labeled() ?? {};
      await r.deliver(victim, "issues", label, "label-delivery");
      const writesNow = () =>
        world?.github.requests.filter((q) => q.write && !q.path.endsWith("/access_tokens")).length;

      // GitHub redelivers the label to another replica: the task exists, nothing is written.
      const other = pick(r.all.filter((_, i) => i !== victim));
      const before = writesNow();
      await r.deliver(indexOf(other), "issues", other.labeled(), "label-delivery");
      expect(writesNow()).toBe(before);

      let leaseRunOut = false;
      for (let round = 0; round < 40; round++) {
        // Once the victim is gone, its lease runs out; whichever replica sweeps first resumes.
        if (r.isDead(victim) && !leaseRunOut) {
          now += LEASE_MS + 1_000;
          leaseRunOut = true;
        }
        const doc = taskOf(world.github);
        if (!doc || doc.state === "done") break;
        const sha = awaitingGate(doc);
        const alive = r.alive();
        if (sha === null) {
          await Promise.all(alive.map((h) => Promise.race([h.app.sweep(), r.gone(indexOf(h))])));
          await Promise.all(
            alive.map((h) => Promise.race([h.app.queue.idle(), r.gone(indexOf(h))])),
          );
          continue;
        }
        answerCi(world, doc, sha);
        const to = random() < 0.5 ? alive : [pick(alive)];
        const id = `checks-${sha}-${String(round)}`;
        await Promise.all(
          to.map((h) => r.deliver(indexOf(h), "check_suite", h.checkSuite(sha, doc.branch), id)),
        );
        now += 1_000;
      }
      expect(r.isDead(victim)).toBe(true);

      const got = await snapshot(world);
      expect(got.task?.state).toBe("done");
      expect(world.github.pulls).toHaveLength(1);
      expect(got.pulls).toEqual(expected.pulls);
      // One commit per step and fix, as without faults: none made twice.
      expect(got.commits.map((c) => c.split(" ").slice(2).join(" "))).toEqual(
        expected.commits.map((c) => c.split(" ").slice(2).join(" ")),
      );
      expect(got.comments).toHaveLength(expected.comments.length);
      expect(new Set(got.comments).size).toBe(got.comments.length);
      expect(
        world.github
          .issueComments(TEXT_ISSUE.number)
          .filter((c) => c.body.includes("orchestrator:status:")),
      ).toHaveLength(1);
      expect(got.checks).toHaveLength(expected.checks.length);
      expect(got.labels).toEqual(expected.labels);
      // The clock passed a turn: a survivor claimed the next one and removed the first.
      expect(
        [...world.github.refs.keys()].filter((ref) => ref.startsWith("orchestrator/sweep/")),
      ).toHaveLength(1);
    },
  );
});
