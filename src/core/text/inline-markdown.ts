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
