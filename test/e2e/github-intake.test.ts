import { afterEach, describe, expect, it } from "vitest";
import { appHarness, TEXT_ISSUE, type AppHarness } from "../fakes/app-harness.ts";
import { taskOf } from "../fakes/app-scenario.ts";

let h: AppHarness | undefined;
afterEach(() => {
  h?.stop();
  h = undefined;
});

const writes = (x: AppHarness): string[] =>
  x.github.requests
    .filter((r) => r.write && !r.path.endsWith("/access_tokens"))
    .map((r) => `${r.method} ${r.path}`);

describe("intake and commands on GitHub", () => {
  it("a label from someone with triage only, from a bot, or another label starts nothing", async () => {
    h = await appHarness();
    await h.deliver("issues", h.labeled("triager"));
    const bot = h.labeled();
    await h.deliver("issues", { ...bot, sender: { login: "dependabot[bot]", type: "Bot" } });
    await h.deliver("issues", h.labeled("maintainer", "bug"));
    expect(writes(h)).toEqual([]);
    expect(taskOf(h.github)).toBeNull();
  });

  it("an invalid task gets one comment listing the problems, even when labelled twice", async () => {
    h = await appHarness();
    h.github.issues.set(TEXT_ISSUE.number, {
      title: TEXT_ISSUE.title,
      body: "### Goal\n\nDo it\n\n### Risk\n\nextreme",
      labels: new Set(),
      events: [],
    });
    const payload = h.labeled();
    const issue = {
      ...(payload["issue"] as object),
      body: "### Goal\n\nDo it\n\n### Risk\n\nextreme",
    };
    await h.deliver("issues", { ...payload, issue });
    await h.deliver("issues", { ...payload, issue });
    const comments = h.github.issueComments(42);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toMatch(/cannot start this task[\s\S]*risk/);
    expect(taskOf(h.github)).toBeNull();
  });

  it("an invalid .github/orchestrator.yml gets one comment listing the problems, and nothing else happens", async () => {
    h = await appHarness();
    h.github.files.set(".github/orchestrator.yml", "label: ''\nlimits:\n  gate_attempts: -1\n");
    await h.deliver("issues", h.labeled());
    await h.deliver("issues", h.labeled());
    const comments = h.github.issueComments(42);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toMatch(/orchestrator.yml` is invalid/);
    expect(comments[0]?.body).toMatch(/- label: /);
    expect(comments[0]?.body).toMatch(/- limits.gate_attempts: /);
    expect(taskOf(h.github)).toBeNull();
  });

  it("a second label event for a running task starts nothing new", async () => {
    h = await appHarness();
    await h.deliver("issues", h.labeled());
    const before = writes(h).length;
    const commentsBefore = h.github.issueComments(42).length;
    await h.deliver("issues", h.labeled(), "another-delivery");
    expect(h.github.issueComments(42)).toHaveLength(commentsBefore);
    expect(
      writes(h)
        .slice(before)
        .filter((w) => !w.includes("/git/")),
    ).toEqual([]);
  });

  it("commands: refused when nothing waits or from a reader; applied with 👀 for the open escalation; stale ones answered", async () => {
    const { demoCassette } = await import("../fakes/harness.ts");
    const cassette = await demoCassette();
    const calls = cassette.calls.map((c) =>
      c.role === "plan_reviewer"
        ? { ...c, object: { ...(c.object as object), status: "rejected", concerns: ["too vague"] } }
        : c,
    );
    h = await appHarness({ cassette: { ...cassette, calls } });
    await h.deliver("issues", h.labeled());
    expect(taskOf(h.github)?.escalation?.reason).toBe("plan_rejected");
    expect(
      h.github.issueComments(42).some((c) => c.body.startsWith("### Needs a human: plan rejected")),
    ).toBe(true);
    expect(h.github.issues.get(42)?.labels.has("orchestrator:awaiting-human")).toBe(true);

    const reader = h.comment("/approve", "stranger");
    await h.deliver("issue_comment", reader);
    expect(h.github.issueComments(42).at(-1)?.body).toMatch(/only people with write access/);
    expect(taskOf(h.github)?.state).toBe("awaiting_human");

    const reject = h.comment("/reject");
    await h.deliver("issue_comment", reject);
    const rejectId = (reject["comment"] as { id: number }).id;
    expect(h.github.comments.find((c) => c.id === rejectId)?.reactions).toEqual(["eyes"]);
    expect(taskOf(h.github)?.state).toBe("failed");
    const stale = h.comment("/approve");
    await h.deliver("issue_comment", stale);
    expect(h.github.issueComments(42).at(-1)?.body).toMatch(
      /was not applied: task 42 is already failed/,
    );
  });

  it("an approval is applied once, with an 👀 reaction, and redelivering it does nothing more", async () => {
    const { demoCassette } = await import("../fakes/harness.ts");
    const cassette = await demoCassette();
    h = await appHarness({
      cassette: {
        ...cassette,
        calls: cassette.calls.map((c) =>
          c.role === "plan_reviewer"
            ? { ...c, object: { ...(c.object as object), status: "rejected" } }
            : c,
        ),
      },
    });
    await h.deliver("issues", h.labeled());
    const approve = h.comment("/approve");
    await h.deliver("issue_comment", approve, "approve-1");
    expect(taskOf(h.github)?.state).toBe("gating");
    expect(h.github.comments.find((c) => c.body === "/approve")?.reactions).toEqual(["eyes"]);
    const before = writes(h).length;
    await h.deliver("issue_comment", approve, "approve-1");
    await h.deliver("issue_comment", approve, "approve-2");
    // The same comment, delivered again, is recognised by its id: nothing more is written.
    expect(writes(h).slice(before)).toEqual([]);
  });
});
