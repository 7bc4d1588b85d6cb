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
