import { stripInvisible } from "./invisible.ts";

const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
// A link reference definition renders as nothing, whatever its destination: `[x]: <url> "title"`.
const REFERENCE_DEFINITION =
  /^ {0,3}\[[^[\]\n]{1,999}\]:[ \t]*(?:<[^>\n]*>|\S+)?(?:[ \t]+(?:"[^"\n]*"|'[^'\n]*'|\([^)\n]*\)))?[ \t]*$/gm;
// An image's alt text and title are not on the page; its address is kept.
const IMAGE =
  /!\[[^[\]\n]{0,999}\]\((\s*<?[^\s)>]*>?)(?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^)\n]*\)))?\s*\)/g;
const IMAGE_REFERENCE = /!\[[^[\]\n]{0,999}\](\[[^[\]\n]{0,999}\])/g;
// A link's title only shows on hover.
const LINK_TITLE =
  /(\[[^[\]\n]{0,999}\]\(\s*<?[^\s)>]*>?)\s+(?:"[^"\n]*"|'[^'\n]*'|\([^)\n]*\))\s*\)/g;
// Any HTML tag: its name, and whatever it carries besides (alt, title, data-*, style…).
const TAG = /<(\/?)([a-z][a-z0-9-]*)((?:[\s/][^<>]*)?)>/gi;
// Elements whose content is never shown, and attributes that hide an element's content.
const NEVER_SHOWN = new Set(["script", "style", "template", "noscript", "textarea", "title"]);
const HIDING =
  /(?:^|\s)(?:hidden|aria-hidden\s*=\s*["']?true|style\s*=\s*["'][^"']*(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0|opacity\s*:\s*0))/i;

/**
 * Removes what a person reading the text would not see but a model would. Every kind of
 * untrusted text goes through here before a prompt:
 * - always: invisible characters (zero-width, bidi, tags, variation selectors), `\r`;
 * - `markdown` (issue bodies, comments, reviews: text GitHub renders): HTML comments, link
 *   reference definitions, image alt text and titles, link titles, HTML attributes, and the
 *   content of elements that are never shown.
 * `source` (file contents, diffs, command output) keeps its markup: a reader of a file sees it.
 * Every pattern is linear in the text's length.
 */
export function sanitizeUntrusted(text: string, kind: "markdown" | "source" = "markdown"): string {
  const plain = stripInvisible(text.normalize("NFC")).replace(/\r\n?/g, "\n");
  if (kind === "source") return plain;
  // Code blocks and code spans are shown as they are written; only prose hides things.
  return splitCode(plain)
    .map((part) => (part.code ? part.text : hideNothing(part.text)))
    .join("");
}

function hideNothing(prose: string): string {
  return stripTags(prose.replace(HTML_COMMENT, ""))
    .replace(REFERENCE_DEFINITION, "")
    .replace(IMAGE, "![]($1)")
    .replace(IMAGE_REFERENCE, "![]$1")
    .replace(LINK_TITLE, "$1)");
}

/**
 * HTML tags keep their name only; an element that is never shown, or hidden by an attribute,
 * goes with its content (to its closing tag, or to the end when it has none). One pass over the
 * tags, counting nested elements of the same name.
 */
function stripTags(text: string): string {
  let out = "";
  let done = 0;
  let hiding: { name: string; depth: number } | null = null;
  for (const match of text.matchAll(TAG)) {
    const [whole, slash = "", rawName = "", attributes = ""] = match;
    const name = rawName.toLowerCase();
    if (hiding) {
      if (name === hiding.name)
        hiding.depth += slash ? -1 : attributes.trimEnd().endsWith("/") ? 0 : 1;
      if (hiding.depth === 0) {
        hiding = null;
        done = match.index + whole.length;
      }
      continue;
    }
    out += text.slice(done, match.index);
    done = match.index + whole.length;
    if (!slash && (NEVER_SHOWN.has(name) || HIDING.test(attributes))) {
      if (!attributes.trimEnd().endsWith("/")) hiding = { name, depth: 1 };
      continue;
    }
    out += `<${slash}${rawName}>`;
  }
  return hiding ? out : out + text.slice(done);
}

/** A piece of Markdown: prose, or code shown as written. */
export interface TextPart {
  readonly code: boolean;
  readonly text: string;
  /** The fence of a code block the text never closes. */
  readonly unclosed?: string;
}

/**
 * The text cut into prose and code: fenced blocks (``` or ~~~, to their closing fence or the end)
 * and inline code spans (a run of backticks to the next run of the same length). One pass.
 */
export function splitCode(text: string): TextPart[] {
  const parts: TextPart[] = [];
  const lines = text.split(/(?<=\n)/);
  let prose = "";
  let fence: string | null = null;
  let block = "";
  for (const line of lines) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === null) {
      if (
        marker &&
        !(marker[0] === "`" && line.slice(line.indexOf(marker) + marker.length).includes("`"))
      ) {
        parts.push(...spans(prose));
        prose = "";
        fence = marker;
        block = line;
      } else prose += line;
    } else {
      block += line;
      if (
        marker &&
        marker[0] === fence[0] &&
        marker.length >= fence.length &&
        line.trim() === marker
      ) {
        parts.push({ code: true, text: block });
        fence = null;
        block = "";
      }
    }
  }
  if (fence !== null) parts.push({ code: true, text: block, unclosed: fence });
  parts.push(...spans(prose));
  return parts.filter((p) => p.text !== "");
}

/** Prose with its inline code spans marked. */
function spans(text: string): TextPart[] {
  const runs = [...text.matchAll(/`+/g)].map((m) => ({ at: m.index, length: m[0].length }));
  // For each length, where the runs of that length are, so each closer is found in one step.
  const byLength = new Map<number, number[]>();
  runs.forEach((r, i) => {
    const list = byLength.get(r.length);
    if (list) list.push(i);
    else byLength.set(r.length, [i]);
  });
  const cursor = new Map<number, number>();
  const parts: TextPart[] = [];
  let done = 0;
  for (let i = 0; i < runs.length; i++) {
    const open = runs[i];
    if (!open || open.at < done) continue;
    const same = byLength.get(open.length) ?? [];
    let k = cursor.get(open.length) ?? 0;
    while (k < same.length && (same[k] ?? 0) <= i) k++;
    cursor.set(open.length, k);
    const closeIndex = same[k];
    const close = closeIndex === undefined ? undefined : runs[closeIndex];
    if (!close) continue;
    parts.push({ code: false, text: text.slice(done, open.at) });
    parts.push({ code: true, text: text.slice(open.at, close.at + close.length) });
    done = close.at + close.length;
    i = closeIndex ?? i;
  }
  parts.push({ code: false, text: text.slice(done) });
  return parts;
}
