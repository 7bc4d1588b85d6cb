import { diffArrays } from "diff";
import { canonicalLine, indentOf } from "./match.ts";

/** Above this many line comparisons only equal lines count (a big file and a long search). */
const MAX_COMPARISONS = 1_000_000;
const MAX_SHOWN = 40;
const MAX_LINE = 200;

/** The lines of a file most like a search that matched nowhere: 0-based `[start, end)`. */
export interface Closest {
  readonly start: number;
  readonly end: number;
  /** Mean likeness of its lines to the search's, 0 to 1. */
  readonly score: number;
}

/**
 * The window of `lines` (as long as the search) whose lines are most like the search's, by the
 * likeness of their character pairs (Dice), whitespace ignored; null when nothing is alike.
 * Only an explanation for the model: an edit never lands on it.
 */
export function closestRegion(lines: readonly string[], search: readonly string[]): Closest | null {
  const size = Math.min(search.length, lines.length);
  if (size === 0) return null;
  const canon = lines.map(canonicalLine);
  const want = search.map(canonicalLine);
  const cheap = lines.length * search.length > MAX_COMPARISONS;
  const pairs = new Map<string, Set<string>>();
  const pairsOf = (text: string): Set<string> => {
    let set = pairs.get(text);
    if (!set) {
      set = new Set();
      for (let i = 0; i + 1 < text.length; i++) set.add(text.slice(i, i + 2));
      pairs.set(text, set);
    }
    return set;
  };
  const alike = (a: string, b: string): number => {
    if (a === b) return 1;
    if (cheap || a === "" || b === "") return 0;
    const pa = pairsOf(a);
    const pb = pairsOf(b);
    if (pa.size + pb.size === 0) return 0;
    let common = 0;
    for (const p of pa) if (pb.has(p)) common += 1;
    return (2 * common) / (pa.size + pb.size);
  };
  let best: Closest | null = null;
  for (let start = 0; start + size <= lines.length; start++) {
    let total = 0;
    for (let i = 0; i < size; i++) total += alike(want[i] ?? "", canon[start + i] ?? "");
    const score = total / search.length;
    if (score > 0 && (!best || score > best.score)) best = { start, end: start + size, score };
  }
  return best;
}

/**
 * The search against the region, line by line (` ` the same but for spacing, `-` only in the
 * search, `+` only in the file, with the file's line numbers), for the model to see what differs.
 */
export function regionDiff(
  lines: readonly string[],
  region: Closest,
  search: readonly string[],
): string {
  const shown = lines.slice(region.start, region.end);
  const width = String(region.end).length;
  const out: string[] = [];
  let fileAt = region.start;
  let searchAt = 0;
  const cut = (s: string): string => (s.length > MAX_LINE ? `${s.slice(0, MAX_LINE)}…` : s);
  for (const change of diffArrays(search.map(canonicalLine), shown.map(canonicalLine))) {
    for (let i = 0; i < change.count; i++) {
      if (change.added) {
        out.push(`+ ${String(++fileAt).padStart(width)} | ${cut(lines[fileAt - 1] ?? "")}`);
      } else if (change.removed) {
        out.push(`- ${" ".repeat(width)} | ${cut(search[searchAt++] ?? "")}`);
      } else {
        const file = lines[fileAt] ?? "";
        const mine = search[searchAt++] ?? "";
        fileAt += 1;
        // Spacing the tolerant pass ignores is no difference; indentation may be one.
        if (indentOf(file) === indentOf(mine))
          out.push(`  ${String(fileAt).padStart(width)} | ${cut(file)}`);
        else {
          out.push(`- ${" ".repeat(width)} | ${cut(mine)}`);
          out.push(`+ ${String(fileAt).padStart(width)} | ${cut(file)}`);
        }
      }
    }
  }
  return out.length > MAX_SHOWN
    ? [...out.slice(0, MAX_SHOWN), `… ${out.length - MAX_SHOWN} more lines`].join("\n")
    : out.join("\n");
}
