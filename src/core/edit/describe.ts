import { fenceUntrusted } from "../prompt/fence.ts";
import type { LineRange } from "./apply-edit.ts";
import { regionDiff } from "./closest.ts";
import type { EditsOutcome } from "./edit-text.ts";

/** What the model is told about an edit call, and the one line the run log keeps (no file text). */
export interface EditReport {
  readonly message: string;
  readonly summary: string;
  readonly isError: boolean;
}

const CONTEXT = 2;
const MAX_SHOWN = 16;
const MAX_LISTED = 20;

/** The answer to an `edit_file` call on `path` that came out as `outcome`. */
export function describeEdits(path: string, outcome: EditsOutcome, count: number): EditReport {
  if (outcome.kind === "refused") return describeRefusal(path, outcome, count);
  const parts = outcome.edits.map((edit, i) => {
    const name = count > 1 ? `edit ${i + 1}` : "the edit";
    if (edit.kind === "already")
      return `${name}: the replacement is already there (${span(edit.lines)}); nothing to do`;
    const how = edit.tolerated.length > 0 ? `, matched ignoring ${edit.tolerated.join(", ")}` : "";
    return `${name}: ${edit.lines.to < edit.lines.from ? `lines removed at line ${edit.lines.from}` : span(edit.lines)}${how}`;
  });
  const tolerant = outcome.edits.filter((e) => e.kind === "applied" && e.tolerated.length > 0);
  const already = outcome.edits.filter((e) => e.kind === "already").length;
  const head = outcome.changed
    ? `edited ${path}: ${parts.join("; ")}.`
    : `nothing changed in ${path}: ${parts.join("; ")}.`;
  // A tolerant match is shown as it landed, so the model sees the re-indented result.
  const shown = tolerant.map((e) =>
    fenceUntrusted(`${path} ${span(e.lines)} now`, numbered(outcome.view, e.lines), "source"),
  );
  return {
    message: [head, ...shown].join("\n"),
    summary: [
      `${count} edit${count > 1 ? "s" : ""}`,
      ...(tolerant.length > 0
        ? [
            `${tolerant.length} matched ignoring whitespace (${[...new Set(tolerant.flatMap((e) => (e.kind === "applied" ? e.tolerated : [])))].join(", ")})`,
          ]
        : []),
      ...(already > 0 ? [`${already} already there`] : []),
    ].join(", "),
    isError: false,
  };
}

function describeRefusal(
  path: string,
  outcome: Extract<EditsOutcome, { kind: "refused" }>,
  count: number,
): EditReport {
  const which = count > 1 ? `edit ${outcome.index + 1} of ${count}: ` : "";
  const after =
    count > 1
      ? ` No edit of this call was applied${outcome.index > 0 ? " (line numbers are after the call's earlier edits)" : ""}.`
      : "";
  const { result } = outcome;
  const refused = (message: string, summary: string): EditReport => ({
    message: `${which}${message}${after}`,
    summary: `${which}${summary}`,
    isError: true,
  });
  switch (result.kind) {
    case "empty":
      return refused(
        "the search text is empty once invisible characters are removed.",
        "empty search",
      );
    case "ambiguous": {
      const listed = result.lines.slice(0, MAX_LISTED).join(", ");
      const more = result.lines.length > MAX_LISTED ? ", and more" : "";
      const loose = result.tolerant ? " once whitespace is ignored" : "";
      return refused(
        `the search text is in ${path} ${result.lines.length > MAX_LISTED ? `more than ${MAX_LISTED}` : result.lines.length} times${loose}, starting at lines ${listed}${more}. Include more of the lines around the change so that it matches once.`,
        `search text found ${result.lines.length > MAX_LISTED ? `over ${MAX_LISTED}` : result.lines.length} times${loose} (lines ${listed}${more})`,
      );
    }
    case "cannot_reindent":
      return refused(
        `the search text matches ${span(result.lines)} with the ${result.shift}, but a line of the replacement is not indented enough to shift the same way. Give the search and the replacement with the file's own indentation.`,
        `matched ${span(result.lines)} with the ${result.shift}, replacement not re-indentable`,
      );
    case "not_found": {
      const advice =
        "Read the file again and copy the lines to change exactly, with a line or two around them.";
      if (!result.closest)
        return refused(
          `the search text is not in ${path}, and no lines of it are like it. ${advice}`,
          "search text not found, nothing like it",
        );
      const region = span({ from: result.closest.start + 1, to: result.closest.end });
      return refused(
        `the search text is not in ${path}, not even ignoring whitespace and indentation. The closest is ${region}; what differs (- your search text, + the file, with its line numbers):\n${fenceUntrusted(`${path} ${region}`, regionDiff(outcome.view, result.closest, result.search), "source")}\n${advice}`,
        `search text not found (closest: ${region})`,
      );
    }
  }
}

function span(lines: LineRange): string {
  return lines.from === lines.to ? `line ${lines.from}` : `lines ${lines.from}-${lines.to}`;
}

/** Lines `range` of `view` and a few around, numbered as the file numbers them. */
function numbered(view: readonly string[], range: LineRange): string {
  const from = Math.max(1, range.from - CONTEXT);
  const to = Math.min(view.length, Math.max(range.to, range.from) + CONTEXT, from + MAX_SHOWN - 1);
  const width = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n++) out.push(`${String(n).padStart(width)} | ${view[n - 1] ?? ""}`);
  return out.join("\n");
}
