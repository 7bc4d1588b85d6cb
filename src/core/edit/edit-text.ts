import { applyEdit, type Edit, type EditResult, type LineRange } from "./apply-edit.ts";
import { rewriteText } from "./splice.ts";
import { parseText, serializeText, viewLine, type TextFile } from "./text-file.ts";

/** How one edit of a call went, when every edit of the call could be made. */
export type EditDone =
  | { readonly kind: "applied"; readonly lines: LineRange; readonly tolerated: readonly string[] }
  | { readonly kind: "already"; readonly lines: LineRange };

export type EditsOutcome =
  /** `text` is the file to write (unchanged when every edit was there already). */
  | {
      readonly kind: "done";
      readonly text: string;
      readonly changed: boolean;
      readonly edits: readonly EditDone[];
      /** The new file's lines as the model sees them (to show what an edit left). */
      readonly view: readonly string[];
    }
  /** Edit `index` (0-based) could not be made; no edit of the call was applied. */
  | {
      readonly kind: "refused";
      readonly index: number;
      readonly result: Exclude<EditResult, { kind: "applied" | "already" }>;
      /** The file's lines as that edit saw them (after the call's earlier edits). */
      readonly view: readonly string[];
    };

/**
 * Applies a call's edits to a file's text one after the other, each on the text the previous
 * ones left, all or nothing. Lines no edit changed keep their bytes; the file keeps its line
 * endings, byte order mark and final newline.
 */
export function editText(raw: string, edits: readonly Edit[]): EditsOutcome {
  let file: TextFile = parseText(raw);
  const done: EditDone[] = [];
  for (const [index, edit] of edits.entries()) {
    const result = applyEdit(file, edit);
    if (result.kind === "applied") {
      file = result.file;
      done.push({ kind: "applied", lines: result.lines, tolerated: result.tolerated });
    } else if (result.kind === "already") done.push(result);
    else return { kind: "refused", index, result, view: views(file) };
  }
  const text = serializeText(file);
  return { kind: "done", text, changed: text !== raw, edits: done, view: views(file) };
}

/**
 * A whole new content for an existing file, written as the file's own: its line endings, byte
 * order mark and final newline, and the bytes of every line the content did not change.
 */
export function rewriteFile(raw: string, content: string): string {
  return serializeText(rewriteText(parseText(raw), content.replace(/\r\n?/g, "\n")));
}

function views(file: TextFile): string[] {
  return file.lines.map((l) => viewLine(l.text));
}
