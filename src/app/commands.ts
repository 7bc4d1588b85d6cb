import type { HumanCommand } from "../core/task/events.ts";

export type ParsedCommand =
  { readonly command: HumanCommand; readonly feedback?: string } | { readonly command: "status" };

/** A command is the first line of a comment: `/approve`, `/retry <feedback>`, `/reject`, `/abort`, `/status`. */
export function parseCommand(body: string): ParsedCommand | null {
  const [first = "", ...rest] = body.replace(/\r\n?/g, "\n").split("\n");
  const match = /^\/(approve|retry|reject|abort|status)(?:\s+(.*))?$/.exec(first.trim());
  if (!match?.[1]) return null;
  if (match[1] === "status") return { command: "status" };
  const feedback = [match[2] ?? "", ...rest].join("\n").trim();
  return match[1] === "retry" && feedback
    ? { command: "retry", feedback }
    : { command: match[1] as HumanCommand };
}
