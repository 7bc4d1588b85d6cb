import { z } from "zod";

/**
 * One tool call of an implementer's or fixer's loop as the run log keeps it: our one-line summary
 * (the tool, its path and how it went; never file text) and whether the tool refused it.
 */
export const ToolNote = z.strictObject({
  summary: z.string().max(1_000),
  refused: z.boolean(),
});
export type ToolNote = z.infer<typeof ToolNote>;

const MAX_DETAILS = 60;

/** The history entry for one loop's tool calls: a count in the message, each call a detail. */
export function toolLogEntry(
  who: string,
  notes: readonly ToolNote[],
): { level: "info" | "warning"; message: string; details: string[] } {
  const refused = notes.filter((n) => n.refused).length;
  const details = notes.map((n) => `${n.refused ? "refused" : "ok"}: ${n.summary}`);
  const kept =
    details.length > MAX_DETAILS
      ? [
          ...details.slice(0, MAX_DETAILS / 2),
          `… ${details.length - MAX_DETAILS} more calls …`,
          ...details.slice(-MAX_DETAILS / 2),
        ]
      : details;
  return {
    level: refused > 0 ? "warning" : "info",
    message: `${who}: ${notes.length} tool call${notes.length === 1 ? "" : "s"}${refused > 0 ? `, ${refused} refused` : ""}`,
    details: kept,
  };
}

/** The calls the tools refused, as the run log words them. */
export function refusedCalls(notes: readonly ToolNote[]): string[] {
  return notes.filter((n) => n.refused).map((n) => n.summary);
}
