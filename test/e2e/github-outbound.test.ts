import { afterEach, describe, expect, it } from "vitest";
import { appHarness, TEXT_ISSUE, type AppHarness } from "../fakes/app-harness.ts";
import { htmlNodes } from "../fakes/gfm.ts";
import { demoCassette } from "../fakes/harness.ts";

let h: AppHarness | undefined;
afterEach(() => {
  h?.stop();
  h = undefined;
});

const HOSTILE =
  "Plan ![p](https://evil.example/p.png?leak=1) [docs](https://evil.example/login) <!-- the rest is hidden --> <img src=x onerror=alert(1)> @everyone https://evil.example/bare";

describe("nothing hidden goes out", () => {
  it("model-written text on GitHub has no outside images or links, no raw HTML, no mentions; titles are plain", async () => {
    const cassette = await demoCassette();
    const calls = cassette.calls.map((c) => {
      if (c.role === "planner") {
        const plan = c.object as { summary: string; steps: { description: string }[] };
        return {
          ...c,
          object: {
            ...plan,
            summary: HOSTILE,
            steps: plan.steps.map((s, i) =>
              i === 0 ? { ...s, description: `${s.description} <!-- ${HOSTILE}` } : s,
            ),
          },
        };
      }
      if (c.role === "plan_reviewer")
        return { ...c, object: { ...(c.object as object), suggestions: [HOSTILE] } };
      return c;
    });
    h = await appHarness({ cassette: { ...cassette, calls } });
    const issue = h.github.issues.get(TEXT_ISSUE.number);
    if (issue) issue.title = "Add a truncate\u202e helper\u2066";
    const payload = h.labeled();
    await h.deliver("issues", {
      ...payload,
      issue: { ...(payload["issue"] as object), title: "Add a truncate\u202e helper\u2066" },
    });
    const posted = [
      ...h.github.issueComments(42).map((c) => c.body),
      ...h.github.pulls.map((p) => p.body),
      ...h.github.checkRuns.map((r) => `${r.output.title ?? ""}\n${r.output.summary ?? ""}`),
    ];
    expect(posted.join("\n")).toContain("evil.example");
    for (const body of posted) {
      // Our own marker is the only HTML comment, at the very end.
      const withoutMarker = body.replace(/\n\n<!-- orchestrator:[^>]+ -->$/, "");
      // As a GFM renderer reads it: the only raw HTML is our own disclosure around the cost.
      for (const html of htmlNodes(withoutMarker))
        expect(html).toMatch(/^(?:<details>\n<summary>[^<>\n]+<\/summary>|<\/details>)$/);
      expect(
        withoutMarker.replace(/^(?:<\/?details>|<summary>[^<>\n]+<\/summary>)$/gm, ""),
      ).not.toMatch(/<!--|<img|<\/?[a-z]+[\s>]/i);
      expect(withoutMarker).not.toMatch(/!\[[^\]]*\]\(https:\/\/evil/);
      expect(withoutMarker).not.toMatch(/\]\(https:\/\/evil/);
      expect(withoutMarker).not.toMatch(/(^|[^`])https:\/\/evil\.example\/bare/);
      expect(withoutMarker).not.toMatch(/(^|[^`])@everyone/);
    }
    for (const pull of h.github.pulls) expect(pull.title).toBe("Add a truncate helper");
  });
});

describe("a /status is the engine's status", () => {
  it("a step description with a team mention and an outside image is neutralised as in the engine's own status", async () => {
    const cassette = await demoCassette();
    const hostile = "Add it ![p](https://evil.example/p.png?leak=1) and ping @acme/security-team";
    const calls = cassette.calls.map((c) => {
      if (c.role !== "planner") return c;
      const plan = c.object as { steps: { description: string }[] };
      return {
        ...c,
        object: { ...plan, steps: plan.steps.map((s) => ({ ...s, description: hostile })) },
      };
    });
    h = await appHarness({ cassette: { ...cassette, calls } });
    await h.deliver("issues", h.labeled());
    const status = (x: AppHarness): string =>
      x.github.issueComments(42).find((c) => c.body.includes("orchestrator:status:42"))?.body ?? "";
    const before = status(h);
    expect(before).toContain("evil.example");
    await h.deliver("issue_comment", h.comment("/status"));
    const after = status(h);
    expect(after).toBe(before);
    expect(after).not.toMatch(/!\[[^\]]*\]\(https:\/\/evil/);
    expect(after).not.toMatch(/(^|[^`])@acme\/security-team/);
  });
});
