import { afterEach, describe, expect, it } from "vitest";
import { appHarness, type AppHarness } from "../fakes/app-harness.ts";
import { taskOf } from "../fakes/app-scenario.ts";
import { tapLog } from "../fakes/ci-log.ts";

let h: AppHarness | undefined;
afterEach(() => {
  h?.stop();
  h = undefined;
});

const BRANCH = "orchestrator/issue-42-add-a-truncate-helper";

async function red(x: AppHarness, sha: string): Promise<void> {
  x.github.completeCheck({ sha, conclusion: "failure", branch: BRANCH, log: tapLog() });
  await x.deliver("check_suite", x.checkSuite(sha, BRANCH));
}

/** Someone with write access to the state branch edits the task's document by hand. */
function tamper(x: AppHarness, change: Record<string, unknown>): void {
  const doc = taskOf(x.github);
  x.github.commitFile(
    "orchestrator/state",
    "tasks/42.json",
    JSON.stringify({ ...doc, ...change }, null, 2),
  );
}

describe("the state branch cannot steer a push", () => {
  it("a document whose branch is `main`: the fixer's commit goes nowhere, a person is asked", async () => {
    h = await appHarness();
    await h.deliver("issues", h.labeled());
    const head = await h.head(BRANCH);
    const main = await h.head("main");
    await red(h, head ?? "");
    tamper(h, { branch: "main" });
    await red(h, head ?? "");
    expect(await h.head("main")).toBe(main);
    expect(await h.head(BRANCH)).toBe(head);
    const doc = taskOf(h.github);
    expect(doc?.escalation?.reason).toBe("state_untrusted");
    expect(doc?.escalation?.blocked?.kind).toBe("implement_step");
    const asked = h.github.issueComments(42).at(-1)?.body ?? "";
    expect(asked).toMatch(/^### Needs a human: state untrusted/);
    expect(asked).toContain("`branch` is not a task branch of this task");
    expect(h.github.unknown).toEqual([]);
  });

  it("a document that fails (a base commit that is an option): no effect at all, not even the pull request sync", async () => {
    h = await appHarness();
    await h.deliver("issues", h.labeled());
    const head = await h.head(BRANCH);
    tamper(h, { baseCommit: "--orphan" });
    const writes = h.github.requests.length;
    h.github.completeCheck({ sha: head ?? "", conclusion: "success", branch: BRANCH });
    await h.deliver("check_suite", h.checkSuite(head ?? "", BRANCH));
    const doc = taskOf(h.github);
    expect(doc?.escalation?.reason).toBe("state_untrusted");
    const sent = h.github.requests.slice(writes).filter((r) => r.method !== "GET");
    expect(sent.every((r) => !r.path.includes("/pulls"))).toBe(true);
  });
});
