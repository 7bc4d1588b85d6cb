// Zero-width, bidi-control and other invisible characters that can hide text from a reviewer.
// The class lists combining characters on purpose: each is removed on its own.
const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class
  /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\u{E0000}-\u{E007F}]/gu;
const HTML_COMMENT = /<!--[\s\S]*?(-->|$)/g;
// Markdown that renders as nothing: link reference definitions used as hidden comments.
const HIDDEN_REFERENCE =
  /^\s{0,3}\[[^\]\n]*\]:\s*(#|<>)\s*(?:"[^"\n]*"|'[^'\n]*'|\([^)\n]*\))?\s*$/gm;

/**
 * Removes what a person reading the rendered text would not see but a model would: HTML
 * comments, invisible and bidi characters, hidden markdown. Applied to all untrusted text
 * (issue bodies, comments, file contents, command output) before it reaches a prompt.
 */
export function sanitizeUntrusted(text: string): string {
  return text
    .normalize("NFC")
    .replace(HTML_COMMENT, "")
    .replace(HIDDEN_REFERENCE, "")
    .replace(INVISIBLE, "")
    .replace(/\r\n?/g, "\n");
}
