import { redactSecrets } from "./redact.ts";
import { sanitizeUntrusted } from "./sanitize.ts";

// Strips terminal colour and cursor sequences, which begin with the ESC control character.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
const SIGNAL = /\b(error|fail(ed|ure)?|assert|expected|warning|exception|panic|not ok|✖|×)\b/i;

/**
 * Keeps what matters of a failed command's output for the fixer: lines that look like errors
 * (with a little context) and the tail, within a character budget; secrets redacted.
 */
export function trimOutput(raw: string, budget = 6_000): string {
  const lines = sanitizeUntrusted(raw.replace(ANSI, "")).split("\n");
  if (raw.length <= budget) return redactSecrets(lines.join("\n")).trim();
  const keep = new Set<number>();
  lines.forEach((line, i) => {
    if (SIGNAL.test(line))
      for (let j = Math.max(0, i - 2); j <= Math.min(lines.length - 1, i + 3); j++) keep.add(j);
  });
  for (let j = Math.max(0, lines.length - 40); j < lines.length; j++) keep.add(j);
  const out: string[] = [];
  let last = -1;
  let size = 0;
  for (const i of [...keep].sort((a, b) => a - b)) {
    const line = lines[i] ?? "";
    if (size + line.length > budget) break;
    if (i !== last + 1) out.push(`… (${i - last - 1} lines omitted)`);
    out.push(line);
    size += line.length + 1;
    last = i;
  }
  return redactSecrets(out.join("\n")).trim();
}
