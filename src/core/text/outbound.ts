import { sanitizeUntrusted, splitCode } from "./sanitize.ts";

/** What text posted to GitHub may point at. */
export interface OutboundPolicy {
  /** Hosts links and images may go to (and their subdomains); others are shown as code. */
  readonly allowedHosts: readonly string[];
}

const IMAGE =
  /!\[([^[\]\n]{0,999})\]\(\s*<?([^\s)>]*)>?(?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^)\n]*\)))?\s*\)/g;
const LINK =
  /\[([^[\]\n]{0,999})\]\(\s*<?([^\s)>]*)>?(?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^)\n]*\)))?\s*\)/g;
const DEFINITION = /^( {0,3}\[[^[\]\n]{1,999}\]:[ \t]*)<?(\S+?)>?([ \t].*)?$/gm;
const BARE_URL = /\b(?:https?:\/\/|www\.)[^\s<>()[\]`'"]+/gi;
const RAW_HTML = /<(?=[A-Za-z/!?])/g;
/**
 * The one HTML our templates use: a disclosure, each tag alone on its line, the summary plain
 * text. It hides nothing (a reader opens it with one click) and cannot carry an attribute, a
 * comment or another tag; model text never produces it, as `quoteModelText` escapes every `<`.
 */
const DISCLOSURE = /^(?:<details>|<\/details>|<summary>[^<>\n]{1,200}<\/summary>)$/;
const MENTION = /(^|[^\w`/@.-])@([A-Za-z0-9][A-Za-z0-9-]{0,38}(?:\/[A-Za-z0-9_.-]+)?)/g;

/**
 * Makes Markdown that carries model-written or untrusted text safe to post on GitHub. Outside
 * code: raw HTML is escaped (no comment can hide what follows, no tag renders) but for our
 * `<details>`/`<summary>` lines (`DISCLOSURE`), images and
 * links to hosts outside the policy become plain text with their address as code (no tracking
 * pixel loads, nothing is one click away), bare addresses too, and @-mentions become code (no
 * one is pinged by a model). Invisible and bidi characters are removed everywhere. Idempotent.
 */
export function neutralizeOutbound(markdown: string, policy: OutboundPolicy): string {
  const text = sanitizeUntrusted(markdown, "source");
  let at = 0;
  return splitCode(text)
    .map((part) => {
      const start = at;
      at += part.text.length;
      if (part.code) return part.text;
      // A disclosure tag counts only as a whole line of the text, not one cut by code.
      const whole = {
        start: start === 0 || text[start - 1] === "\n",
        end: at === text.length || text[at] === "\n",
      };
      return neutralizeProse(part.text, policy, whole);
    })
    .join("");
}

/** A title for GitHub (pull request, check run): one line, no invisible or bidi characters. */
export function plainTitle(text: string, max = 256): string {
  const line = sanitizeUntrusted(text, "source").replace(/\s+/g, " ").trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

function neutralizeProse(
  prose: string,
  policy: OutboundPolicy,
  whole: { readonly start: boolean; readonly end: boolean },
): string {
  const allowed = (url: string): boolean => isAllowed(url, policy.allowedHosts);
  // Addresses already shown as code are left; the rest is rewritten in one pass per shape.
  const lines = prose.split("\n");
  let out = lines
    .map((line, i) =>
      (i > 0 || whole.start) && (i < lines.length - 1 || whole.end) && DISCLOSURE.test(line)
        ? line
        : line.replace(RAW_HTML, "&lt;"),
    )
    .join("\n");
  out = out.replace(IMAGE, (whole, alt: string, url: string) =>
    allowed(url) ? whole : `${alt.trim() || "image"} (image not shown: ${asCode(url)})`,
  );
  out = out.replace(LINK, (whole, label: string, url: string) =>
    allowed(url) ? whole : `${label} (${asCode(url)})`,
  );
  out = out.replace(DEFINITION, (whole, head: string, url: string) =>
    allowed(url) ? whole : asCode(`${head}${url}`),
  );
  out = splitCode(out)
    .map((part) =>
      part.code
        ? part.text
        : part.text.replace(BARE_URL, (url, offset: number, all: string) =>
            allowed(url) || all[offset - 1] === "(" ? url : asCode(url),
          ),
    )
    .join("");
  return splitCode(out)
    .map((part) =>
      part.code
        ? part.text
        : part.text.replace(MENTION, (_, before: string, name: string) => `${before}\`@${name}\``),
    )
    .join("");
}

function isAllowed(url: string, hosts: readonly string[]): boolean {
  if (url.startsWith("#") || url.startsWith("/") || url === "") return true;
  let host: string;
  try {
    host = new URL(
      /^[a-z][a-z0-9+.-]*:/i.test(url) ? url : `https://${url}`,
    ).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (!/^https?:/i.test(url) && /^[a-z][a-z0-9+.-]*:/i.test(url)) return false;
  return hosts.some((h) => host === h.toLowerCase() || host.endsWith(`.${h.toLowerCase()}`));
}

function asCode(text: string): string {
  const clean = text.replace(/`/g, "'");
  return `\`${clean}\``;
}
