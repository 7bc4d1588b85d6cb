/** GitHub refuses a comment, review or pull request body longer than this (`body is too long`). */
export const GITHUB_BODY_LIMIT = 65_536;

/**
 * `text` cut to at most `max` characters, with a note that says so and how much was left out;
 * unchanged when it fits. The cut never splits a surrogate pair, and a code fence left open by
 * the cut is closed, so the note is read as text.
 */
export function boundText(text: string, max: number, what = "text"): string {
  if (text.length <= max) return text;
  const note = (left: number): string =>
    `\n\n*(${what} cut here: ${String(left)} more character(s) left out, past the limit of ${String(max)})*`;
  let end = Math.max(0, max - note(text.length).length - 5);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  let kept = text.slice(0, end);
  const fences = kept.split("\n").filter((line) => /^ {0,3}(?:```|~~~)/.test(line)).length;
  if (fences % 2 === 1) kept += "\n```";
  return `${kept}${note(text.length - end)}`;
}
