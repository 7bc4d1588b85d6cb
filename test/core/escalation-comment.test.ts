import { describe, expect, it } from "vitest";
import { escalationComment } from "../../src/core/report/comments.ts";
import { EscalationReason, type TaskDocument } from "../../src/core/task/document.ts";
import { alerts, headings, lists, parseGfm, plain } from "../fakes/gfm.ts";
import { AT, gating, RED } from "../fakes/machine.ts";

/** The commands `src/app/commands.ts` accepts, as a person would type them. */
const COMMAND = /^(\/approve|\/retry <feedback>|\/reject|\/abort|\/status|\/budget \+N)$/;

function escalated(reason: EscalationReason, doc: TaskDocument = gating()): TaskDocument {
  return {
    ...doc,
    state: "awaiting_human",
    outbox: [],
    escalation: {
      id: 1,
      reason,
      message: "why",
      phase: "gating",
      step: null,
      blocked: null,
      at: AT,
    },
  };
}

/** Every inline code span that names a command in the comment's list of answers. */
function answerCommands(body: string): string[] {
  const [alert] = alerts(body);
  const list = lists(body)[0];
  expect(alert?.kind).toBe("IMPORTANT");
  return (list?.items ?? []).map((i) => /^(\/\S+(?: <feedback>| \+N)?)/.exec(i)?.[1] ?? i);
}

describe("the escalation comment", () => {
  it.each(EscalationReason.options)(
    "%s: an IMPORTANT alert listing only real commands",
    (reason) => {
      const body = escalationComment(escalated(reason));
      expect(headings(body)[0]?.text).toBe(`Needs a human: ${reason.replace(/_/g, " ")}`);
      const commands = answerCommands(body);
      for (const c of commands) expect(c).toMatch(COMMAND);
      expect(commands).toEqual(
        expect.arrayContaining(["/approve", "/retry <feedback>", "/reject", "/abort", "/status"]),
      );
      // No bare command word anywhere: every code span that names one starts with a slash.
      const codes: string[] = [];
      const visit = (n: ReturnType<typeof parseGfm>["children"][number]): void => {
        if (n.type === "inlineCode") codes.push(n.value);
        if ("children" in n) for (const c of n.children) visit(c);
      };
      for (const n of parseGfm(body).children) visit(n);
      for (const c of codes)
        if (/^(approve|retry|reject|abort|status|budget)\b/.test(c)) throw new Error(`bare ${c}`);
      // The sentences read as sentences: no "; then Then answer".
      expect(plain(parseGfm(body))).not.toMatch(/\b(\w+) \1\b/i);
      expect(plain(parseGfm(body))).not.toMatch(/[;,] Then\b/);
    },
  );

  it("a budgeted task lists /budget +N; a task without a budget does not", () => {
    const budgeted = escalated("budget_reached", {
      ...gating(),
      limits: { ...gating().limits, budgetUsd: 2 },
    });
    expect(answerCommands(escalationComment(budgeted))[0]).toBe("/budget +N");
    const unlimited = escalated("step_rejected", {
      ...gating(),
      limits: { ...gating().limits, budgetUsd: null },
    });
    expect(answerCommands(escalationComment(unlimited))).not.toContain("/budget +N");
  });

  it("links the failing CI run when the gate stopped the task", () => {
    const url = "https://github.com/o/r/actions/runs/7/job/8";
    const doc = gating();
    const red = {
      ...doc,
      gate: {
        ...doc.gate,
        results: [
          {
            ...RED,
            checks: [
              { ...RED.checks[0]!, url },
              { ...RED.checks[0]!, name: "lint|x", url: "javascript:alert(1)" },
            ],
          },
        ],
      },
    };
    const body = escalationComment(escalated("gate_attempts_exhausted", red));
    const links: { url: string; text: string }[] = [];
    const visit = (n: ReturnType<typeof parseGfm>["children"][number]): void => {
      if (n.type === "link") links.push({ url: n.url, text: plain(n) });
      else if ("children" in n) for (const c of n.children) visit(c);
    };
    for (const n of parseGfm(body).children) visit(n);
    expect(links).toEqual([{ url, text: "test" }]);
    expect(escalationComment(escalated("gate_attempts_exhausted"))).not.toContain("Failing CI");
  });
});
