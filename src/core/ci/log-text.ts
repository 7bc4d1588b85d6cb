// Terminal colour and cursor sequences, which begin with the ESC control character.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;
// The timestamp GitHub Actions puts before every line of a job log.
const TIMESTAMP = /^\uFEFF?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z ?/;

/**
 * A raw CI log as the lines a person reads: colours, timestamps and carriage-return progress
 * removed, GitHub Actions' workflow commands turned into plain text (`##[group]Run npm test` →
 * `Run npm test`, `##[error]…` → `Error: …`), end markers dropped.
 */
export function cleanLog(raw: string): string[] {
  const out: string[] = [];
  for (const physical of raw.replace(ANSI, "").split("\n")) {
    // A carriage return redraws the line: what is left is the last drawing.
    const drawn = physical.replace(/\r+$/, "").split("\r").at(-1) ?? "";
    const line = drawn.replace(TIMESTAMP, "").trimEnd();
    if (/^##\[endgroup\]$/.test(line)) continue;
    const command = /^##\[(group|error|warning|notice|debug|command|section)\](.*)$/.exec(line);
    if (!command) {
      out.push(line);
      continue;
    }
    const [, kind, text] = command;
    if (kind === "debug") continue;
    out.push(
      kind === "error"
        ? `Error: ${text ?? ""}`
        : kind === "warning"
          ? `Warning: ${text ?? ""}`
          : (text ?? ""),
    );
  }
  return out;
}
