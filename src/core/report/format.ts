import type { TaskDocument } from "../task/document.ts";
import { splitCode } from "../text/sanitize.ts";

export function usd(value: number): string {
  return `$${value.toFixed(value < 0.01 && value > 0 ? 4 : 2)}`;
}

/**
 * Quotes model-written text so it cannot open markup of its own in a comment: outside code,
 * raw HTML is escaped (a `<!--` cannot hide the rest of the comment), a heading, setext
 * underline or thematic break at a line start is escaped (the text cannot start a section of
 * ours), and a code fence the text leaves open is closed where the text ends.
 */
export function quoteModelText(text: string): string {
  const parts = splitCode(text.replace(/\r/g, ""));
  let lineStart = true;
  const quoted = parts
    .map((p) => {
      const out = p.code ? p.text : escapeProse(p.text, lineStart);
      lineStart = p.text.endsWith("\n");
      return out;
    })
    .join("");
  const open = parts.at(-1)?.unclosed;
  return open === undefined ? quoted : `${quoted}\n${open}`;
}

const SECTION_MARK = /(^|\n)( {0,3})(#{1,6}(?=[ \t]|\n|$)|(?:[=*_-][ \t]*)+(?=\n|$))/g;

function escapeProse(prose: string, lineStart: boolean): string {
  return prose
    .replace(/<(?=[A-Za-z/!?])/g, "&lt;")
    .replace(SECTION_MARK, (whole: string, nl: string, space: string, mark: string, at: number) =>
      at === 0 && !lineStart ? whole : `${nl}${space}\\${mark}`,
    )
    .split("\n")
    .map((line, i) =>
      (i === 0 && !lineStart) || !isTableDelimiter(line) ? line : line.replace(/\S/, "\\$&"),
    )
    .join("\n");
}

/** A GFM table's delimiter row (`|---|:-:|`): the line that turns the one above into a table. */
function isTableDelimiter(line: string): boolean {
  return /^[ \t]*[|:-][|: \t-]*$/.test(line) && line.includes("|") && line.includes("-");
}

/**
 * Model-written text for a one-line slot of ours (a list item's first line, a sentence, a
 * heading): line breaks become spaces and a block marker at its start is escaped, so it can
 * neither end the slot nor open a block; otherwise quoted like `quoteModelText`.
 */
export function modelLine(text: string): string {
  const flat = text.replace(/[\r\n\u2028\u2029]+/g, " ").trim();
  return quoteModelText(flat.replace(/^(?:[#>+*=|~-]|`{3}|\d{1,9}[.)])/, "\\$&"));
}

/** Model-written text for a table cell: one line, and no `|` it holds ends the cell. */
export function modelCell(text: string): string {
  return modelLine(text).replace(/(\\*)\|/g, (_: string, bs: string) =>
    bs.length % 2 === 0 ? `${bs}\\|` : `${bs}|`,
  );
}

/** Model-written text as a list item: continuation lines indented so they stay in the item. */
export function modelItem(text: string): string {
  return `- ${quoteModelText(text.trim()).split("\n").join("\n  ")}`;
}

export function bullets(items: readonly string[], empty = "_none_"): string {
  return items.length === 0 ? empty : items.map(modelItem).join("\n");
}

/** Text shown verbatim as a code block: nothing in it renders as markup, whatever it holds. */
export function codeBlock(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}text\n${text.replace(/\r/g, "")}\n${fence}`;
}

/**
 * Reviews done by a model of the author's own provider (because no other provider is
 * configured), one line each; empty when every reviewer comes from another provider.
 */
export function sameProviderNotes(doc: TaskDocument): string[] {
  const routing = doc.routing;
  if (!routing) return [];
  return (
    [
      [routing.plan_reviewer, routing.planner, "plan"],
      [routing.code_reviewer, routing.implementer, "code"],
    ] as const
  )
    .filter(([reviewer]) => reviewer.sameProvider === true)
    .map(
      ([reviewer, author, what]) =>
        `Cross-review: the ${what} by ${author.model} is reviewed by ${reviewer.model}, a model of the same provider, because no other provider is configured (\`routing.cross_review.strict: true\` refuses instead).`,
    );
}

/**
 * Outside text as inline code in one line: a fence longer than any run of backticks in it, and
 * pipes escaped for a table cell (GFM reads `\|` there as a pipe; outside a table the backslash
 * would show, so `inTable: false` leaves them).
 */
export function inlineCode(text: string, where: { inTable: boolean } = { inTable: true }): string {
  const flat = text.replace(/[\r\n\u2028\u2029]+/g, " ");
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  const cell = where.inTable ? flat.replace(/\|/g, "\\|") : flat;
  return `${fence}${pad}${cell}${pad}${fence}`;
}

/** One row of a GFM table; every cell is already Markdown of ours (escape outside text with `inlineText`). */
export function tableRow(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |`;
}

/** A GFM table: header, delimiter row and rows, one line each (a blank line would end it). */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [tableRow(header), tableRow(header.map(() => "---")), ...rows.map(tableRow)].join("\n");
}

/**
 * A label in a Mermaid chart, quoted. Mermaid has no escape inside a quoted string, and reads
 * `#…;` as an entity and a comma as the next label, so those characters and line breaks go.
 */
export function mermaidLabel(text: string): string {
  return `"${text.replace(/["`#;,\\\r\n\u2028\u2029]/g, "").slice(0, 80)}"`;
}
