import { expect } from "vitest";
import { labelToPullRequest, snapshot } from "./app-scenario.ts";
import { crashPoints } from "./crash-points.ts";

/**
 * Kills the worker after GitHub writes (`crashPoints`: share `part` of `parts`), lets a new
 * worker's sweep resume, and compares the final GitHub state with a run without faults.
 */
export async function crashAfterEveryWrite(part: number, parts: number): Promise<void> {
  const clean = await labelToPullRequest();
  const expected = await snapshot(clean.world);
  const writes = clean.world.github.requests.filter((r) => r.write).length;
  clean.world.github.stop();
  expect(expected.task?.state).toBe("done");
  expect(writes).toBeGreaterThan(30);
  const failures: string[] = [];
  let restarts = 0;
  for (const k of crashPoints(writes, part, parts)) {
    const run = await labelToPullRequest({ crashAt: k });
    restarts += run.restarts;
    const got = await snapshot(run.world);
    run.world.github.stop();
    if (JSON.stringify(got) !== JSON.stringify(expected)) {
      const differing = Object.keys(expected).filter(
        (key) =>
          JSON.stringify(got[key as keyof typeof got]) !==
          JSON.stringify(expected[key as keyof typeof expected]),
      );
      failures.push(
        `crash after write ${k}: ${differing.join(", ")} differ (state ${got.task?.state ?? "none"})`,
      );
    }
  }
  expect(failures).toEqual([]);
  expect(restarts).toBeGreaterThan(0);
}
