import type { TaskDocument } from "../task/document.ts";
import { splitCode } from "../text/sanitize.ts";

export function usd(value: number): string {
  return `$${value.toFixed(value < 0.01 && value > 0 ? 4 : 2)}`;
}

/**
 * Quotes model-written text so it cannot open markup of its own in a comment: outside code,
 * raw HTML is escaped (a `<!--` cannot hide the rest of the comment), and a code fence the text
 * leaves open is closed where the text ends.
 */
export function quoteModelText(text: string): string {
  const parts = splitCode(text.replace(/\r/g, ""));
  const quoted = parts
    .map((p) => (p.code ? p.text : p.text.replace(/<(?=[A-Za-z/!?])/g, "&lt;")))
    .join("");
  const open = parts.at(-1)?.unclosed;
  return open === undefined ? quoted : `${quoted}\n${open}`;
}

export function bullets(items: readonly string[], empty = "_none_"): string {
  return items.length === 0 ? empty : items.map((i) => `- ${quoteModelText(i)}`).join("\n");
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
 * Text from a record or any outside source put into one line of our Markdown (a table cell, a
 * list item, a sentence): shown as the characters it holds, never as markup. Line breaks become
 * spaces (a newline ends a table row), and every character that opens inline markup (or a cell,
 * `|`) is backslash-escaped, as is a block marker at the start.
 */
export function inlineText(text: string): string {
  return text
    .replace(/[\r\n\u2028\u2029]+/g, " ")
    .replace(/[\\`*_[\]<>|!~&#$]/g, "\\$&")
    .replace(/^([-+=]|\d+[.)])/, (m) => `${m.slice(0, -1)}\\${m.slice(-1)}`);
}

/** Outside text as inline code in one line (a table cell too): a fence longer than any run of backticks in it, pipes escaped. */
export function inlineCode(text: string): string {
  const flat = text.replace(/[\r\n\u2028\u2029]+/g, " ");
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat.replace(/\|/g, "\\|")}${pad}${fence}`;
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
