/**
 * Where a search text is in a file, in two passes: the exact text (anywhere, even inside a
 * line), then whole lines that differ only in whitespace the model cannot be relied on to copy:
 * trailing whitespace, runs of spaces or tabs inside a line, and one indentation shift shared by
 * every line. Nothing looser: a match that could land on other lines is no match.
 */

/** The search's indentation against the file's: `add` goes in front of each line, `remove` comes off. */
export type Shift = { readonly add: string } | { readonly remove: string };

/** Starts (offsets into `text`) of every occurrence of `search`, overlapping ones too, at most `limit`. */
export function exactOffsets(text: string, search: string, limit: number): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(search); at >= 0 && found.length < limit;) {
    found.push(at);
    at = text.indexOf(search, at + 1);
  }
  return found;
}

/** A line without its indentation, trailing whitespace and repeated inner spacing. */
export function canonicalLine(line: string): string {
  return line.trim().replace(/[ \t]+/g, " ");
}

export function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? "";
}

/** A search split into whole lines for the tolerant pass (one leading and one trailing newline dropped). */
export function searchLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines.length > 1 && lines.at(-1) === "") lines.pop();
  if (lines.length > 1 && lines[0] === "") lines.shift();
  return lines;
}

/**
 * Where `search` (whole lines) matches `lines` with whitespace tolerance, each with its shift;
 * at most `limit`. A search of blank lines only matches nothing (it would match anywhere).
 */
export function tolerantMatches(
  lines: readonly string[],
  search: readonly string[],
  limit: number,
): { start: number; shift: Shift }[] {
  if (search.every((l) => canonicalLine(l) === "")) return [];
  const canon = lines.map(canonicalLine);
  const want = search.map(canonicalLine);
  const found: { start: number; shift: Shift }[] = [];
  for (let start = 0; start + search.length <= lines.length && found.length < limit; start++) {
    const shift = windowShift(lines, canon, start, search, want);
    if (shift) found.push({ start, shift });
  }
  return found;
}

function windowShift(
  lines: readonly string[],
  canon: readonly string[],
  start: number,
  search: readonly string[],
  want: readonly string[],
): Shift | null {
  let shift: Shift | null = null;
  for (let i = 0; i < search.length; i++) {
    if (canon[start + i] !== want[i]) return null;
    if (want[i] === "") continue;
    const here = between(indentOf(search[i] ?? ""), indentOf(lines[start + i] ?? ""));
    if (!here || (shift && !sameShift(shift, here))) return null;
    shift ??= here;
  }
  return shift ?? { add: "" };
}

/** The shift that turns the search's indentation into the file's, or null when none does. */
function between(searchIndent: string, fileIndent: string): Shift | null {
  if (fileIndent.endsWith(searchIndent))
    return { add: fileIndent.slice(0, fileIndent.length - searchIndent.length) };
  if (searchIndent.endsWith(fileIndent))
    return { remove: searchIndent.slice(0, searchIndent.length - fileIndent.length) };
  return null;
}

function sameShift(a: Shift, b: Shift): boolean {
  const size = (s: Shift): string => ("add" in s ? s.add : s.remove);
  if (size(a) === "" && size(b) === "") return true;
  return "add" in a === "add" in b && size(a) === size(b);
}

/** `lines` (the replacement) moved by the same shift as the search, or null when a line cannot be. */
export function reindent(lines: readonly string[], shift: Shift): string[] | null {
  const out: string[] = [];
  for (const line of lines) {
    const blank = line.trim() === "";
    // An empty line stays empty; a line of spaces moves like the others when it can.
    if (line === "") out.push(line);
    else if ("add" in shift) out.push(shift.add + line);
    else if (line.startsWith(shift.remove)) out.push(line.slice(shift.remove.length));
    else if (blank) out.push(line);
    else return null;
  }
  return out;
}

/** The shift in words: `indentation 4 spaces deeper`, or null when there is none. */
export function describeShift(shift: Shift): string | null {
  const by = "add" in shift ? shift.add : shift.remove;
  if (by === "") return null;
  const tabs = by.length - by.replaceAll("\t", "").length;
  const spaces = by.length - tabs;
  const amount = [
    tabs ? `${tabs} tab${tabs > 1 ? "s" : ""}` : "",
    spaces ? `${spaces} space${spaces > 1 ? "s" : ""}` : "",
  ]
    .filter(Boolean)
    .join(" and ");
  return `indentation ${amount} ${"add" in shift ? "deeper" : "shallower"} in the file`;
}
