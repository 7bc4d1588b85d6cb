import type { Nodes, Root, RootContent, Table } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";

/**
 * Our Markdown as GitHub reads it: a real CommonMark + GFM parser (micromark, the parser
 * behind remark), so a test asserts the structure a reader sees (tables with their cells, list
 * items, alerts, `<details>`, code blocks) instead of substrings a renderer may not honour.
 */
export function parseGfm(markdown: string): Root {
  return fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
}

/** The text a reader sees in a node: text, inline code and code, without the markup. */
export function plain(node: Nodes): string {
  if (node.type === "text" || node.type === "inlineCode" || node.type === "code") return node.value;
  if (node.type === "break") return "\n";
  return "children" in node ? node.children.map((c) => plain(c)).join("") : "";
}

function walk(
  node: Nodes,
  visit: (n: Nodes, parent: Nodes | null) => void,
  parent: Nodes | null = null,
): void {
  visit(node, parent);
  if ("children" in node) for (const c of node.children) walk(c, visit, node);
}

function all<T extends Nodes["type"]>(root: Root, type: T): Extract<Nodes, { type: T }>[] {
  const found: Extract<Nodes, { type: T }>[] = [];
  walk(root, (n) => {
    if (n.type === type) found.push(n as Extract<Nodes, { type: T }>);
  });
  return found;
}

export type ParsedTable = {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
};

/**
 * Every table a GFM renderer finds, each cell as plain text. Rows keep the cells the parser
 * found, so a stray `|` shows as a row longer than the header (`tableShapeErrors`).
 */
export function tables(markdown: string): ParsedTable[] {
  return all(parseGfm(markdown), "table").map((t: Table) => {
    const [head, ...body] = t.children.map((row) => row.children.map((cell) => plain(cell)));
    return { header: head ?? [], rows: body };
  });
}

/** Rows whose cell count is not the header's: a GFM renderer would drop or pad cells. */
export function tableShapeErrors(markdown: string): string[] {
  return tables(markdown).flatMap((t, i) =>
    t.rows
      .map((r, j) => [r, j] as const)
      .filter(([r]) => r.length !== t.header.length)
      .map(([r, j]) => `table ${i} row ${j}: ${r.length} cells, header has ${t.header.length}`),
  );
}

/** Every list, each item as plain text. */
export function lists(markdown: string): { ordered: boolean; items: string[] }[] {
  return all(parseGfm(markdown), "list").map((l) => ({
    ordered: l.ordered === true,
    items: l.children.map((i) => plain(i)),
  }));
}

/** Headings with their depth and text. */
export function headings(markdown: string): { depth: number; text: string }[] {
  return all(parseGfm(markdown), "heading").map((h) => ({ depth: h.depth, text: plain(h) }));
}

/** Fenced code blocks with their language. */
export function codeBlocks(markdown: string): { lang: string | null; value: string }[] {
  return all(parseGfm(markdown), "code").map((c) => ({ lang: c.lang ?? null, value: c.value }));
}

/**
 * GitHub alerts (`> [!IMPORTANT]` …): a block quote whose first line is the marker alone.
 * GitHub's own extension, not in the GFM spec: its rule is the marker as the first line of the
 * quote, with the content on the lines after it.
 */
export function alerts(markdown: string): { kind: string; text: string }[] {
  return all(parseGfm(markdown), "blockquote").flatMap((q) => {
    const first = q.children[0];
    if (first?.type !== "paragraph") return [];
    const text = plain(first);
    const m = /^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\n/.exec(text);
    if (!m?.[1]) return [];
    const rest = [text.slice(m[0].length), ...q.children.slice(1).map((c) => plain(c))];
    return [{ kind: m[1], text: rest.join("\n") }];
  });
}

/** Raw HTML nodes (`<details>`, `<summary>`, comments) as the parser found them. */
export function htmlNodes(markdown: string): string[] {
  return all(parseGfm(markdown), "html").map((h) => h.value);
}

/** Top-level blocks of the document, by type (to assert order and count). */
export function blocks(markdown: string): RootContent["type"][] {
  return parseGfm(markdown).children.map((c) => c.type);
}

/**
 * The Mermaid charts we draw (`pie` and `xychart-beta` with one bar), checked as Mermaid reads
 * them: each label a double-quoted string with no quote, newline, backtick or `#` inside
 * (Mermaid has no escape in a quoted string and reads `#…;` as an entity), and as many x-axis
 * labels as bar values.
 */
export function mermaidErrors(markdown: string): string[] {
  const errors: string[] = [];
  const label = /^"[^"\n`#]*"$/;
  for (const { lang, value } of codeBlocks(markdown)) {
    if (lang !== "mermaid") continue;
    const lines = value.split("\n");
    const kind = lines[0]?.split(" ")[0];
    if (kind === "pie") {
      for (const l of lines.slice(1)) {
        const m = /^ {2}(.*) : (\d+(?:\.\d+)?)$/.exec(l);
        if (!m?.[1] || !label.test(m[1])) errors.push(`pie slice: ${JSON.stringify(l)}`);
      }
    } else if (kind === "xychart-beta") {
      const x = lines.find((l) => l.startsWith("  x-axis ["));
      const bar = lines.find((l) => l.startsWith("  bar ["));
      const labels = /^ {2}x-axis \[(.*)\]$/.exec(x ?? "")?.[1]?.split(", ") ?? [];
      const values = /^ {2}bar \[(.*)\]$/.exec(bar ?? "")?.[1]?.split(", ") ?? [];
      for (const l of labels) if (!label.test(l)) errors.push(`x-axis label: ${JSON.stringify(l)}`);
      if (labels.length !== values.length)
        errors.push(`x-axis has ${labels.length} labels, bar ${values.length} values`);
      if (lines.length !== 5) errors.push(`xychart has ${lines.length} lines, not 5`);
    } else errors.push(`unknown chart ${JSON.stringify(lines[0])}`);
  }
  return errors;
}
