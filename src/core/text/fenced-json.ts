/**
 * The body of the first Markdown code fence an answer holds (```` ```json ```` or bare ```` ``` ````,
 * whitespace and a line break after the opener, the body up to the first line that starts with
 * ```` ``` ````), or undefined. The same answer as ```` /```(?:json)?\s*\n([\s\S]*?)\n```/ ````, in
 * linear time: that pattern tries every split of the whitespace after the opener and rescans the
 * rest of the text for each, so a fence followed by 100,000 newlines took seconds.
 */
export function fencedBody(text: string): string | undefined {
  for (let opener = text.indexOf("```"); opener >= 0; opener = text.indexOf("```", opener + 1)) {
    let at = opener + 3;
    if (text.startsWith("json", at)) at += 4;
    let lastBreak = -1;
    let previousBreak = -1;
    while (at < text.length && /\s/.test(text[at] ?? "")) {
      if (text[at] === "\n") [previousBreak, lastBreak] = [lastBreak, at];
      at++;
    }
    if (lastBreak < 0) continue;
    // The greedy `\s*` ends at the last line break; the body ends at the first "\n```" after it.
    const end = text.indexOf("\n```", lastBreak + 1);
    if (end >= 0) return text.slice(lastBreak + 1, end);
    // The one other way: the whitespace itself ends in "\n```", closing an empty or blank body.
    if (previousBreak >= 0 && text.startsWith("```", lastBreak + 1))
      return text.slice(previousBreak + 1, lastBreak);
    // No "\n```" after this opener's whitespace: no later opener can find one either.
    return undefined;
  }
  return undefined;
}
