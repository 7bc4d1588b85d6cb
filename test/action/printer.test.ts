// What the Action prints, read as a runner reads it (test/fakes/runner-commands.ts, a port of
// actions/runner's command parser): text from outside never becomes a workflow command.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { reportFailure } from "../../src/action/main.ts";
import { actionPrinter } from "../../src/action/printer.ts";
import { runnerCommands } from "../fakes/runner-commands.ts";

/** Outside text that a runner would read as commands if printed as it is. */
const HOSTILE = [
  "##[add-mask]ghs_looks-like-a-token",
  '{"tool":"##[warning]fake annotation"}',
  "::add-mask::x",
  "  ::warning file=a.ts,line=1::fake",
  "\u00a0::error::after a no-break space",
  "\u3000::error::after an ideographic space",
  "\u0085::error::after a next-line character",
  "ok\r::warning::after a carriage return",
  "ok\n##[stop-commands]known-token",
  "###[warning]one more hash",
  "##[WARNING title=x]case does not matter",
  "::stop-commands::abc\n::warning::stopped?\n::abc::",
];

describe("the runner's command parser (the double)", () => {
  it("reads what a runner reads: `::` after leading white space, `##[` anywhere, CR as a line end, stop and resume", () => {
    expect(runnerCommands("::warning::x").map((c) => c.command)).toEqual(["warning"]);
    expect(runnerCommands("  \t::warning::x")).toHaveLength(1);
    expect(runnerCommands('{"msg":"##[add-mask]secret"}')).toEqual([
      { command: "add-mask", properties: {}, data: 'secret"}' },
    ]);
    expect(runnerCommands("a\r::error::b")).toHaveLength(1);
    expect(runnerCommands("::warning file=a%3Ab.ts,line=3::one%0Atwo")).toEqual([
      { command: "warning", properties: { file: "a:b.ts", line: "3" }, data: "one\ntwo" },
    ]);
    // Unregistered names are plain text.
    expect(runnerCommands(["::frobnicate::x", "##[nothing]y"])).toEqual([]);
    expect(
      runnerCommands([
        "::stop-commands::t0k3n",
        "::warning::ignored",
        "##[add-mask]ignored",
        "::t0k3n::",
        "::warning::read",
      ]).map((c) => `${c.command}:${c.data}`),
    ).toEqual(["stop-commands:t0k3n", "t0k3n:", "warning:read"]);
  });
});

describe("the Action's printer", () => {
  const capture = (token = () => "0123456789abcdef0123456789abcdef") => {
    const lines: string[] = [];
    return { lines, printer: actionPrinter((l) => lines.push(l), token) };
  };

  it("prints outside text, log lines and blocks with no workflow command in them", () => {
    // A line separator ends no line for the runner (.NET ReadLine): neutralised all the same.
    for (const text of [...HOSTILE, "ok\u2028::warning::after a line separator"]) {
      if (!text.includes("\u2028")) expect(runnerCommands(text).length, text).toBeGreaterThan(0);
      const { lines, printer } = capture();
      printer.text(text);
      printer.log.write(`${JSON.stringify({ level: 40, tool: text, msg: "tool call refused" })}\n`);
      expect(runnerCommands(lines), text).toEqual([]);
      // The text is still there to read.
      expect(lines.join("\n")).toContain("tool call refused");
    }
  });

  it("wraps a block between stop-commands and a fresh token, and nothing inside is read", () => {
    const { lines, printer } = capture();
    printer.block(HOSTILE.join("\n"));
    expect(lines[0]).toBe("::stop-commands::0123456789abcdef0123456789abcdef");
    expect(lines.at(-1)).toBe("::0123456789abcdef0123456789abcdef::");
    expect(runnerCommands(lines).map((c) => c.command)).toEqual([
      "stop-commands",
      "0123456789abcdef0123456789abcdef",
    ]);
    // Commands after the block are read again.
    printer.command("warning", "ours");
    expect(runnerCommands(lines).at(-1)).toMatchObject({ command: "warning", data: "ours" });
  });

  it("draws another token when the block holds the one drawn", () => {
    const tokens = ["aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"];
    const { lines, printer } = capture(() => tokens.shift() ?? "cccccccccccccccc");
    printer.block("::aaaaaaaaaaaaaaaa::\n::warning::would resume early");
    expect(lines[0]).toBe("::stop-commands::bbbbbbbbbbbbbbbb");
    expect(runnerCommands(lines).map((c) => c.command)).toEqual([
      "stop-commands",
      "bbbbbbbbbbbbbbbb",
    ]);
  });

  it("keeps our own command on one line whatever its data holds", () => {
    const { lines, printer } = capture();
    printer.command("error", "first\nsecond ##[add-mask]x\r::warning::y", { title: "a:b,c" });
    expect(lines).toHaveLength(1);
    expect(runnerCommands(lines)).toEqual([
      {
        command: "error",
        properties: { title: "a:b,c" },
        data: "first\nsecond ## [add-mask]x\r::warning::y",
      },
    ]);
    expect(() => printer.command("add-mask]x", "y")).toThrow(/not a workflow command name/);
  });

  it("no text made of command pieces gets a command through (property)", () => {
    const piece = fc.constantFrom(
      "::",
      "##[",
      "#",
      "[",
      "]",
      ":",
      " ",
      "\t",
      "\u00a0",
      "\u0085",
      "\u2028",
      "\n",
      "\r",
      "add-mask",
      "warning",
      "stop-commands",
      "error file=x",
      "x",
      "%0A",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const text = pieces.join("");
        const { lines, printer } = capture(() => "fedcba9876543210fedcba9876543210");
        printer.text(text);
        printer.log.write(`${JSON.stringify({ msg: text })}\n`);
        printer.block(text);
        return (
          runnerCommands(lines)
            .map((c) => c.command)
            .join(",") === "stop-commands,fedcba9876543210fedcba9876543210"
        );
      }),
      { numRuns: 500 },
    );
  });

  it("tells a failure as a block and one annotation, with secrets redacted", () => {
    const { lines, printer } = capture();
    const key = `sk-ant-api03-${"k".repeat(40)}`;
    reportFailure(
      printer,
      new Error(`provider said: {"error":"bad key ${key}"}\n::add-mask::x\n##[warning]y`),
      [],
    );
    const commands = runnerCommands(lines);
    expect(commands.map((c) => c.command)).toEqual([
      "stop-commands",
      "0123456789abcdef0123456789abcdef",
      "error",
    ]);
    expect(commands[2]?.data).toContain("provider said");
    expect(lines.join("\n")).not.toContain(key);
  });
});
