import type { Instruction } from "./select.ts";

/** The most characters shown of one instruction file. */
export const MAX_INSTRUCTION_CHARS = 12_000;

/**
 * Instruction files as one block for a prompt, within `budgetTokens`: each under its heading
 * (path and scope), in order, the last one that does not fit cut at a line and every later one
 * named as left out, so the model knows there is more. `empty` is the text when there is none.
 */
export function renderInstructions(
  files: readonly Instruction[],
  budgetTokens: number,
  countTokens: (text: string) => number,
  empty: string,
): string {
  const parts: string[] = [];
  const left: string[] = [];
  let remaining = budgetTokens;
  for (const file of files) {
    const heading = `--- ${file.path} (${scopeOf(file)}) ---`;
    if (left.length > 0 || remaining <= countTokens(heading) + 20) {
      left.push(file.path);
      continue;
    }
    remaining -= countTokens(heading);
    const body = file.body.trim();
    let shown = body.slice(0, MAX_INSTRUCTION_CHARS);
    let tokens = countTokens(shown);
    if (tokens > remaining) {
      shown = atLine(shown, Math.floor((shown.length * remaining) / tokens));
      tokens = countTokens(shown);
    }
    remaining -= tokens;
    const cut =
      shown.length < body.length
        ? `\n… (cut: ${shown.length} of ${body.length} characters shown, to keep the prompt bounded)`
        : "";
    parts.push(`${heading}\n${shown}${cut}`);
  }
  if (left.length > 0) parts.push(`(left out to keep the prompt bounded: ${left.join(", ")})`);
  return parts.join("\n\n") || empty;
}

function scopeOf(file: Instruction): string {
  if (file.applyTo === null) return "the whole repository";
  if (file.path.endsWith("AGENTS.md"))
    return `files under ${file.path.slice(0, -"/AGENTS.md".length)}/; where it differs from the root's, it wins`;
  return `files matching ${file.applyTo.join(", ")}`;
}

/** `text` cut to at most `length` characters, at the end of a line when there is one. */
function atLine(text: string, length: number): string {
  const head = text.slice(0, Math.max(0, length));
  const end = head.lastIndexOf("\n");
  return end > 0 ? head.slice(0, end) : head;
}
