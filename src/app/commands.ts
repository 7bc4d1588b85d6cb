import type { HumanCommand } from "../core/task/events.ts";

export type ParsedCommand =
  | { readonly command: Exclude<HumanCommand, "retry" | "budget"> }
  | { readonly command: "retry"; readonly feedback: string }
  | { readonly command: "budget"; readonly amountUsd: number }
  | { readonly command: "status" };

export type CommandText =
  | { readonly ok: true; readonly parsed: ParsedCommand }
  /** Looks like one of ours but cannot be applied as written; the author gets the reason. */
  | { readonly ok: false; readonly command: string; readonly problem: string };

const NAMES = new Set(["approve", "retry", "reject", "abort", "budget", "status"]);
const MAX_BUDGET_USD = 10_000;

/**
 * Reads a command comment. The command is the comment's first line, written at its start (an
 * indented or fenced line is quoted text, not a command). `/approve`, `/reject`, `/abort` and
 * `/status` stand alone in the whole comment: anything more ("/approve NOT yet") is ambiguous
 * and refused. `/retry` takes its feedback on the same line and the lines after; `/budget`
 * takes `+N` dollars. Returns null for a comment that is not a command of ours.
 */
export function parseCommand(body: string): CommandText | null {
  const text = body.replace(/\r\n?/g, "\n");
  const [first = "", ...rest] = text.split("\n");
  const match = /^\/([a-z]+)(?=\s|$)(.*)$/.exec(first.trimEnd());
  const name = match?.[1];
  if (!match || !name || !NAMES.has(name)) return null;
  const sameLine = (match[2] ?? "").trim();
  const more = rest.join("\n").trim();
  switch (name) {
    case "retry": {
      const feedback = [sameLine, more].filter(Boolean).join("\n");
      return feedback
        ? { ok: true, parsed: { command: "retry", feedback } }
        : refuse(name, "`/retry` needs feedback: `/retry <what to do differently>`");
    }
    case "budget": {
      const amount = /^\+\s*\$?(\d{1,5}(?:\.\d{1,2})?)$/.exec(sameLine)?.[1];
      const value = amount === undefined ? NaN : Number(amount);
      if (more || !(value > 0 && value <= MAX_BUDGET_USD))
        return refuse(
          name,
          "`/budget` takes the dollars to add and nothing else: `/budget +5` adds $5 to this task's budget",
        );
      return { ok: true, parsed: { command: "budget", amountUsd: value } };
    }
    default:
      if (sameLine || more)
        return refuse(
          name,
          `\`/${name}\` must be the whole comment; text around it makes it ambiguous, so it was not applied`,
        );
      return {
        ok: true,
        parsed: { command: name as "approve" | "reject" | "abort" | "status" },
      };
  }
}

function refuse(command: string, problem: string): CommandText {
  return { ok: false, command, problem };
}
