export function usd(value: number): string {
  return `$${value.toFixed(value < 0.01 && value > 0 ? 4 : 2)}`;
}

/** Quotes model-written text so it cannot open markup of its own in a comment. */
export function quoteModelText(text: string): string {
  return text.replace(/<!--/g, "&lt;!--").replace(/\r/g, "");
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
