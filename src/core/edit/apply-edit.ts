import { closestRegion, type Closest } from "./closest.ts";
import { describeShift, exactOffsets, reindent, searchLines, tolerantMatches } from "./match.ts";
import { spliceLines } from "./splice.ts";
import { normalizeInput, viewLine, type TextFile } from "./text-file.ts";

/** One search-and-replace as the model sent it. */
export interface Edit {
  readonly search: string;
  readonly replace: string;
}

/** Lines of a file, 1-based and inclusive (`to < from`: lines were removed before `from`). */
export interface LineRange {
  readonly from: number;
  readonly to: number;
}

export type EditResult =
  | {
      readonly kind: "applied";
      readonly file: TextFile;
      /** Where the replacement now is. */
      readonly lines: LineRange;
      /** The whitespace the match ignored; empty for an exact match. */
      readonly tolerated: readonly string[];
    }
  /** The replacement is in the file already and the search is not (or only inside it). */
  | { readonly kind: "already"; readonly lines: LineRange }
  | { readonly kind: "not_found"; readonly closest: Closest | null; readonly search: string[] }
  /** `lines`: where each match starts; `tolerant` when only the tolerant pass found them. */
  | { readonly kind: "ambiguous"; readonly lines: number[]; readonly tolerant: boolean }
  /** Nothing is left of the search once it is in the form files are shown in. */
  | { readonly kind: "empty" }
  /** Matched with an indentation shift the replacement's lines cannot follow. */
  | { readonly kind: "cannot_reindent"; readonly lines: LineRange; readonly shift: string };

const LIST = 20;
const DISTINCTIVE = 8;

/** Applies one edit to a file as the model sees it (see `match.ts` for what matches). */
export function applyEdit(file: TextFile, edit: Edit): EditResult {
  const search = normalizeInput(edit.search);
  // The replacement is written as sent (but for its line endings); it is compared with the
  // file in the form the file is shown in.
  const replace = edit.replace.replace(/\r\n?/g, "\n");
  const shownReplace = normalizeInput(edit.replace);
  if (search === "") return { kind: "empty" };
  const views = file.lines.map((l) => viewLine(l.text));
  // Every line is ended by `\n` here, the last one too: the model cannot see whether the file
  // has a final newline, and the splice keeps whatever it had.
  const text = views.map((l) => `${l}\n`).join("");
  const starts = lineStarts(views);
  const exact = exactOffsets(text, search, LIST + 1);
  if (exact.length > 1)
    return { kind: "ambiguous", lines: exact.map((o) => lineAt(starts, o) + 1), tolerant: false };
  const here = exact[0];
  if (here !== undefined) {
    const already = alreadyThere(text, starts, shownReplace, here, search.length);
    if (already) return { kind: "already", lines: already };
    return applyExact(file, views, text, starts, here, search.length, replace);
  }
  const wanted = searchLines(search);
  const tolerant = tolerantMatches(views, wanted, LIST + 1);
  if (tolerant.length > 1)
    return { kind: "ambiguous", lines: tolerant.map((m) => m.start + 1), tolerant: true };
  const match = tolerant[0];
  if (!match) {
    const already =
      alreadyThere(text, starts, shownReplace, null, 0) ?? tolerantlyThere(views, shownReplace);
    if (already) return { kind: "already", lines: already };
    return { kind: "not_found", closest: closestRegion(views, wanted), search: wanted };
  }
  const end = match.start + wanted.length;
  const lines = replace === "" ? [] : searchLines(replace);
  const moved = reindent(lines, match.shift);
  if (!moved)
    return {
      kind: "cannot_reindent",
      lines: { from: match.start + 1, to: end },
      shift: describeShift(match.shift) ?? "",
    };
  const tolerated = [
    describeShift(match.shift),
    ...toleratedSpacing(views.slice(match.start, end), wanted),
  ].filter((t): t is string => t !== null);
  return {
    kind: "applied",
    // Unchanged lines are compared as the model wrote them, so they keep the file's own bytes.
    file: spliceLines(file, match.start, end, moved, { oldKeys: wanted, newKeys: lines }),
    lines: { from: match.start + 1, to: match.start + moved.length },
    tolerated,
  };
}

function applyExact(
  file: TextFile,
  views: readonly string[],
  text: string,
  starts: readonly number[],
  at: number,
  length: number,
  replace: string,
): EditResult {
  const start = lineAt(starts, at);
  const rest = text.slice(starts[start], at) + replace + text.slice(at + length);
  const after = rest === "" ? [] : rest.split("\n");
  if (rest.endsWith("\n")) after.pop();
  const before = views.slice(start);
  let same = 0;
  while (
    same < before.length &&
    same < after.length &&
    before[before.length - 1 - same] === after[after.length - 1 - same]
  )
    same += 1;
  const added = after.slice(0, after.length - same);
  return {
    kind: "applied",
    file: spliceLines(file, start, views.length - same, added),
    lines: { from: start + 1, to: start + added.length },
    tolerated: [],
  };
}

/**
 * The replacement's lines when it is in the file exactly once and the search is not, or only
 * inside it (the edit was made already: making it again would repeat it).
 */
function alreadyThere(
  text: string,
  starts: readonly number[],
  replace: string,
  searchAt: number | null,
  searchLength: number,
): LineRange | null {
  if (!distinctive(replace)) return null;
  const found = exactOffsets(text, replace, 2);
  const at = found[0];
  if (found.length !== 1 || at === undefined) return null;
  // Only whole lines: a piece of a line is too easily there by chance.
  const end = at + replace.length;
  const lineStart = starts[lineAt(starts, at)] ?? 0;
  const lineEnd = text.indexOf("\n", Math.max(at, end - 1));
  if (text.slice(lineStart, at).trim() !== "" || text.slice(end, lineEnd).trim() !== "")
    return null;
  if (searchAt !== null && (searchAt < at || searchAt + searchLength > at + replace.length))
    return null;
  return { from: lineAt(starts, at) + 1, to: lineAt(starts, at + replace.length - 1) + 1 };
}

function tolerantlyThere(views: readonly string[], replace: string): LineRange | null {
  if (!distinctive(replace)) return null;
  const lines = searchLines(replace);
  const found = tolerantMatches(views, lines, 2);
  const match = found[0];
  if (found.length !== 1 || !match) return null;
  return { from: match.start + 1, to: match.start + lines.length };
}

/** Enough text that finding it in the file is no coincidence (a `}` or a `x` is everywhere). */
function distinctive(text: string): boolean {
  return text.replace(/\s+/g, "").length >= DISTINCTIVE;
}

function toleratedSpacing(file: readonly string[], search: readonly string[]): string[] {
  const differs = (f: (s: string) => string): boolean =>
    search.some((s, i) => f(s) !== f(file[i] ?? ""));
  return [
    differs((s) => s.slice(s.trimEnd().length)) ? "trailing whitespace" : null,
    differs((s) => s.trim()) ? "spacing inside lines" : null,
  ].filter((t): t is string => t !== null);
}

function lineStarts(views: readonly string[]): number[] {
  const starts: number[] = [];
  let at = 0;
  for (const line of views) {
    starts.push(at);
    at += line.length + 1;
  }
  return starts;
}

/** The 0-based line holding offset `at` (binary search over the lines' starts). */
function lineAt(starts: readonly number[], at: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] ?? 0) <= at) low = mid;
    else high = mid - 1;
  }
  return low;
}
