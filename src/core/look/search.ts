import { RE2JS } from "re2js";
import { parseText, viewLine } from "../edit/text-file.ts";

/** What the model asked `search` for. */
export interface SearchQuery {
  /** A literal string, or an RE2 regular expression when `regex`. */
  readonly query: string;
  readonly regex: boolean;
  readonly ignoreCase: boolean;
}

/** How much one search may find and show. */
export interface SearchBounds {
  /** Matching lines kept in all. */
  readonly maxLines: number;
  /** Matching lines kept per file. */
  readonly perFile: number;
  /** Characters of a line shown. */
  readonly lineChars: number;
}

/** One matching line, in the form `read_file` shows it. */
export interface SearchHit {
  readonly path: string;
  /** 1-based. */
  readonly line: number;
  readonly text: string;
}

export type LineMatcher =
  | { readonly ok: true; readonly test: (line: string) => boolean }
  | { readonly ok: false; readonly error: string };

/**
 * Compiles a query to a line test. Regular expressions are RE2's (re2js: linear time in the
 * text searched, whatever the pattern; no backreferences or lookarounds), since the pattern is
 * the model's and the text the repository's.
 */
export function compileQuery(query: SearchQuery): LineMatcher {
  if (!query.regex && !query.ignoreCase) {
    const wanted = viewLine(query.query);
    return { ok: true, test: (line) => line.includes(wanted) };
  }
  try {
    const re = RE2JS.compile(
      query.regex ? query.query : RE2JS.quote(viewLine(query.query)),
      query.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0,
    );
    return { ok: true, test: (line) => re.matcher(line).find() };
  } catch (e) {
    return { ok: false, error: `not an RE2 regular expression: ${(e as Error).message}` };
  }
}

/**
 * The matching lines of one file's text (none for a binary file: one with a NUL byte), each in
 * the normalised form `read_file` shows and `edit_file` matches, at most `bounds.perFile`.
 */
export function searchText(
  path: string,
  raw: string,
  test: (line: string) => boolean,
  bounds: SearchBounds,
): { hits: SearchHit[]; more: number } {
  if (raw.includes("\0")) return { hits: [], more: 0 };
  const hits: SearchHit[] = [];
  let more = 0;
  parseText(raw).lines.forEach((line, i) => {
    const text = viewLine(line.text);
    if (!test(text)) return;
    if (hits.length >= bounds.perFile) {
      more += 1;
      return;
    }
    const shown = text.length > bounds.lineChars ? `${text.slice(0, bounds.lineChars)}…` : text;
    hits.push({ path, line: i + 1, text: shown });
  });
  return { hits, more };
}
