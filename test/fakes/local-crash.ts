// The local host's crash proof, shared by test/engine/crash-recovery-*.test.ts.
import { Git } from "../../src/adapters/git/git.ts";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { summariseLedger } from "../../src/core/cost/ledger.ts";
import { createEngine } from "../../src/engine/engine.ts";
import { crashingDeps, SimulatedCrash } from "./crash.ts";
import { crashMatrix, crashPoints } from "./crash-points.ts";
import { branchLog, demoTask, fastGate, harness } from "./harness.ts";

export interface Outcome {
  commits: string[];
  runLog: string;
  ledger: unknown;
  calls: number;
  state: string;
  trailerKeys: string[];
}

/** Runs the demo task; with `crashAt`, the first engine dies after that many side effects and a new one resumes. */
export async function runWithCrash(
  crashAt: number,
): Promise<Outcome & { boundaries: number; crashed: boolean }> {
  const h = await harness();
  const task = await demoTask();
  const config = await fastGate(h.repo);
  const first = await h.host({ config });
  const { deps, count } = crashingDeps(first.deps, crashAt);
  let crashed = false;
  try {
    const engine = createEngine(deps);
    await engine.start(task);
    await engine.run(task.id);
  } catch (error) {
    if (!(error instanceof SimulatedCrash)) throw error;
    crashed = true;
  }
  const boundaries = count();
  const second = await h.host({ config });
  await second.engine.start(task);
  const doc = await second.engine.run(task.id);
  const commits = await branchLog(h.repo, doc.baseCommit ?? "", doc.branch);
  const messages = await Promise.all(
    commits.map(async (c) => {
      return (
        await new Git({ cwd: h.repo }).output([
          "log",
          "-1",
          "--format=%(trailers:key=Orchestrator-Key,valueonly)",
          c.split(" ")[0] ?? "",
        ])
      ).trim();
    }),
  );
  return {
    commits,
    runLog: await readFile(join(h.repo, ".orchestrator", "runs", `${task.id}.md`), "utf8"),
    ledger: summariseLedger(doc.ledger),
    calls: h.replay.requests.length,
    state: doc.state,
    trailerKeys: messages,
    boundaries,
    crashed,
  };
}

const CHUNKS = 4;

/**
 * Crash at effect boundaries (`crashPoints`: share `chunk` of 4 for each of `chunks`), then
 * resume: each run must end exactly like the run without faults. The chunks are spread over
 * test files so that the test workers share the runs.
 */
export function crashSuite(chunks: readonly number[]): void {
  describe("crash at every effect boundary, then resume", async () => {
    const clean = await runWithCrash(Number.POSITIVE_INFINITY);

    it("the run without faults finishes, with one commit per step attempt", () => {
      expect(clean.state).toBe("done");
      expect(clean.crashed).toBe(false);
      expect(clean.commits).toHaveLength(5);
      expect(new Set(clean.trailerKeys).size).toBe(clean.trailerKeys.length);
      expect(clean.boundaries).toBeGreaterThan(40);
    });

    it.concurrent.each(chunks)(
      `crash points (${crashMatrix()}), share %i of ${CHUNKS}, end exactly like it: same branch, run log and ledger; no call paid twice; no step committed twice`,
      async (chunk) => {
        const failures: string[] = [];
        for (const k of crashPoints(clean.boundaries, chunk, CHUNKS)) {
          const run = await runWithCrash(k);
          const same =
            run.crashed &&
            run.state === clean.state &&
            run.calls === clean.calls &&
            run.runLog === clean.runLog &&
            JSON.stringify(run.ledger) === JSON.stringify(clean.ledger) &&
            JSON.stringify(run.commits) === JSON.stringify(clean.commits);
          if (!same)
            failures.push(
              `k=${k}: crashed=${run.crashed} state=${run.state} calls=${run.calls}/${clean.calls} commits=${run.commits.length}/${clean.commits.length} runLog=${run.runLog === clean.runLog} ledger=${JSON.stringify(run.ledger) === JSON.stringify(clean.ledger)}`,
            );
        }
        expect(failures).toEqual([]);
      },
      900_000,
    );
  });
}
