import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/app/commands.ts";

describe("parseCommand", () => {
  it.each([
    ["/approve", { command: "approve" }],
    ["/approve  \r\n", { command: "approve" }],
    ["/reject", { command: "reject" }],
    ["/abort", { command: "abort" }],
    ["/status", { command: "status" }],
    [
      "/retry use a Map instead\r\nand keep it small",
      { command: "retry", feedback: "use a Map instead\nand keep it small" },
    ],
    ["/retry\nuse a Map instead", { command: "retry", feedback: "use a Map instead" }],
    ["/budget +5", { command: "budget", amountUsd: 5 }],
    ["/budget +$2.50", { command: "budget", amountUsd: 2.5 }],
  ])("reads %j", (body, parsed) => {
    expect(parseCommand(body)).toEqual({ ok: true, parsed });
  });

  it.each([
    ["/approve NOT yet", "approve"],
    ["/approve\n\nbut not the README part", "approve"],
    ["/abort please", "abort"],
    ["/reject it", "reject"],
    ["/status now", "status"],
    ["/retry", "retry"],
    ["/retry   \n  ", "retry"],
    ["/budget", "budget"],
    ["/budget 5", "budget"],
    ["/budget +5 for the tests", "budget"],
    ["/budget +0", "budget"],
    ["/budget +1000000", "budget"],
    ["/budget +5\nthanks", "budget"],
  ])("refuses %j as it stands, saying why", (body, command) => {
    const text = parseCommand(body);
    expect(text).toMatchObject({ ok: false, command });
    expect(text?.ok === false && text.problem).toBeTruthy();
  });

  it.each([
    "> /approve",
    "I /approve",
    "/approved",
    "thanks!\n/approve",
    "`/approve`",
    " /approve",
    "    /approve",
    "\t/approve",
    "```\n/approve\n```",
    "/deploy now",
    "",
  ])("ignores %j: not a command line of ours", (body) => {
    expect(parseCommand(body)).toBeNull();
  });
});
