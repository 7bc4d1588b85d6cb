import { sanitizeUntrusted } from "../text/sanitize.ts";

/** How one line ends in the file: `""` only for a last line without a final newline. */
export type Eol = "\r\n" | "\n" | "\r" | "";

/** One line of a file as it is on disk, without its line ending. */
export interface Line {
  readonly text: string;
  readonly eol: Eol;
}

/**
 * A text file split into its lines, each keeping its own line ending, so that lines an edit does
 * not change are written back byte for byte.
 */
export interface TextFile {
  /** The file starts with a UTF-8 byte order mark (kept, never shown to the model). */
  readonly bom: boolean;
  readonly lines: readonly Line[];
}

const BOM = "\uFEFF";

/** Splits a file's text into lines; a lone `\r` ends a line, as the model's view treats it. */
export function parseText(raw: string): TextFile {
  const bom = raw.startsWith(BOM);
  const text = bom ? raw.slice(1) : raw;
  const lines: Line[] = [];
  const LINE = /([^\r\n]*)(\r\n|\n|\r|$)/y;
  while (LINE.lastIndex < text.length) {
    const match = LINE.exec(text);
    if (!match) break;
    lines.push({ text: match[1] ?? "", eol: (match[2] ?? "") as Eol });
  }
  return { bom, lines };
}

/** The file's text as it goes back to disk. */
export function serializeText(file: TextFile): string {
  return (file.bom ? BOM : "") + file.lines.map((l) => l.text + l.eol).join("");
}

/**
 * A line as the model is shown it by `read_file` (the same sanitising as every file in a prompt:
 * NFC, invisible characters removed). Matching happens in this form.
 */
export function viewLine(text: string): string {
  return sanitizeUntrusted(text, "source");
}

/** The file as the model reads it: its lines in view form, each ended by `\n` but the last when the file has no final newline. */
export function viewText(file: TextFile): string {
  return file.lines.map((l) => viewLine(l.text) + (l.eol ? "\n" : "")).join("");
}

/** What the model sent (a search or a replacement), in the form it is matched in. */
export function normalizeInput(text: string): string {
  return sanitizeUntrusted(text, "source");
}

/** The line ending most of the file's lines use (`\n` for a file that has none). */
export function dominantEol(file: TextFile): Exclude<Eol, ""> {
  const counts = { "\r\n": 0, "\n": 0, "\r": 0 };
  for (const line of file.lines) if (line.eol) counts[line.eol] += 1;
  if (counts["\r\n"] > counts["\n"] && counts["\r\n"] >= counts["\r"]) return "\r\n";
  if (counts["\r"] > counts["\n"]) return "\r";
  return "\n";
}

/** Whether the file ends with a line ending (an empty file counts as ending with one). */
export function hasFinalNewline(file: TextFile): boolean {
  const last = file.lines.at(-1);
  return last === undefined || last.eol !== "";
}
