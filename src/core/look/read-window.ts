import { parseText, viewLine } from "../edit/text-file.ts";

/** Which lines of a file `read_file` shows, numbered, in the form `edit_file` matches. */
export type FileWindow =
  | {
      readonly kind: "shown";
      /** `N | line` for each line shown. */
      readonly text: string;
      /** 1-based, inclusive; `to < from` for an empty file. */
      readonly from: number;
      readonly to: number;
      /** Lines in the file. */
      readonly total: number;
      /** The last line shown was longer than the window and is cut. */
      readonly cutLine: boolean;
    }
  | { readonly kind: "out_of_range"; readonly total: number };

/** How much one read shows at most. */
export interface WindowBounds {
  readonly maxChars: number;
  readonly maxLines: number;
}

/**
 * The lines `from`..`to` of a file (the whole file when not given), numbered, ending at the
 * last whole line that fits the bounds: a large file is read in windows, never cut mid-file
 * without saying where to read on.
 */
export function readWindow(
  raw: string,
  range: { readonly from?: number; readonly to?: number },
  bounds: WindowBounds,
): FileWindow {
  const lines = parseText(raw).lines;
  const total = lines.length;
  const from = range.from ?? 1;
  if (total === 0 && from === 1)
    return { kind: "shown", text: "", from: 1, to: 0, total, cutLine: false };
  if (from > total || (range.to !== undefined && range.to < from))
    return { kind: "out_of_range", total };
  const last = Math.min(range.to ?? total, total, from + bounds.maxLines - 1);
  const width = String(last).length;
  const out: string[] = [];
  let size = 0;
  let cutLine = false;
  let to = from - 1;
  for (let n = from; n <= last; n++) {
    const numbered = `${String(n).padStart(width)} | ${viewLine(lines[n - 1]?.text ?? "")}`;
    if (size + numbered.length + 1 > bounds.maxChars) {
      // A first line longer than the window is shown cut, so that every read shows something.
      if (out.length === 0) {
        out.push(numbered.slice(0, bounds.maxChars));
        cutLine = true;
        to = n;
      }
      break;
    }
    out.push(numbered);
    size += numbered.length + 1;
    to = n;
  }
  return { kind: "shown", text: out.join("\n"), from, to, total, cutLine };
}
