import { diffArrays } from "diff";
import { dominantEol, hasFinalNewline, viewLine, type Line, type TextFile } from "./text-file.ts";

/**
 * What the old region's and the replacement's lines are compared as, when not as they are: a
 * tolerant match compares the search as the model wrote it with its replacement before re-indenting.
 */
export interface SpliceKeys {
  readonly oldKeys?: readonly string[];
  readonly newKeys?: readonly string[];
}

/**
 * Replaces lines `start` to `end` (exclusive) with `replacement` (lines in view form). A new line
 * equal to one of the old region's lines as the model saw it is that old line, byte for byte
 * (its own spacing, invisible characters and line ending); a changed line gets the file's usual
 * line ending. The file keeps its byte order mark and whether it ends with a newline.
 */
export function spliceLines(
  file: TextFile,
  start: number,
  end: number,
  replacement: readonly string[],
  keys: SpliceKeys = {},
): TextFile {
  const eol = dominantEol(file);
  const old = file.lines.slice(start, end);
  const lines: Line[] = [];
  let at = 0;
  let added = 0;
  for (const change of diffArrays(
    [...(keys.oldKeys ?? old.map((l) => viewLine(l.text)))],
    [...(keys.newKeys ?? replacement)],
  )) {
    if (change.added) {
      for (let i = 0; i < change.count; i++) lines.push({ text: replacement[added++] ?? "", eol });
      continue;
    }
    if (!change.removed) added += change.count;
    if (!change.removed) for (let i = 0; i < change.count; i++) lines.push(old[at + i] as Line);
    at += change.count;
  }
  return withEnds(file, [...file.lines.slice(0, start), ...lines, ...file.lines.slice(end)]);
}

/**
 * The whole file replaced by `content` (view form, `\n` line endings), keeping what the old file
 * had that the model could not see: unchanged lines' bytes, line endings, byte order mark and
 * final newline.
 */
export function rewriteText(file: TextFile, content: string): TextFile {
  if (content === "") return { bom: false, lines: [] };
  const lines = content.split("\n");
  if (content.endsWith("\n")) lines.pop();
  return spliceLines(file, 0, file.lines.length, lines);
}

/** Every line ends with a line ending but the last, which ends as the original file's did. */
function withEnds(original: TextFile, lines: Line[]): TextFile {
  const eol = dominantEol(original);
  const final = hasFinalNewline(original);
  const ended = lines.map((line, i): Line => {
    const last = i === lines.length - 1;
    if (!last) return line.eol === "" ? { ...line, eol } : line;
    if (!final) return { ...line, eol: "" };
    return line.eol === "" ? { ...line, eol } : line;
  });
  return { bom: original.bom, lines: ended };
}
