// Terminal colour and cursor sequences, which begin with the ESC control character.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;
// Control characters left after the sequences above (a lone ESC, NUL, bell, backspace, C1), tab kept.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// A workflow command in the `::name props::message` form, which the runner reads at a line's start.
const COMMAND = /^\s*::([A-Za-z-]{1,40})(?:[ \t][^\n]*?)?::(.*)$/;
// Commands whose message is a value, never text to read (a secret to mask, a resume token, outputs).
const VALUE_COMMANDS = new Set([
  "add-mask",
  "stop-commands",
  "set-output",
  "save-state",
  "set-env",
  "add-path",
  "add-matcher",
  "remove-matcher",
  "echo",
  "debug",
]);
// The timestamp GitHub Actions puts before every line of a job log.
const TIMESTAMP = /^\uFEFF?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z ?/;

/**
 * A raw CI log as the lines a person reads: colours, timestamps, control characters and
 * carriage-return progress removed, GitHub Actions' workflow commands turned into plain text
 * (`##[group]Run npm test` → `Run npm test`, `##[error]…` → `Error: …`, `::warning …::x` →
 * `Warning: x`), end markers, debug lines and commands that carry values (`::add-mask::`,
 * `::stop-commands::`, …) dropped. No line left is a workflow command: a `##[` left inside a
 * line loses a `#`, and none starts with `::`.
 */
export function cleanLog(raw: string): string[] {
  return readLog(raw).map((line) => line.replace(/##\[/g, "#[").replace(/^(\s*)::/, "$1: :"));
}

function readLog(raw: string): string[] {
  const out: string[] = [];
  for (const physical of raw.replace(ANSI, "").split("\n")) {
    // A carriage return redraws the line: what is left is the last drawing.
    const drawn = physical.replace(/\r+$/, "").split("\r").at(-1) ?? "";
    const line = drawn.replace(TIMESTAMP, "").replace(CONTROL, "").trimEnd();
    if (/^##\[endgroup\]$/.test(line) || /^\s*::endgroup::/.test(line)) continue;
    const v2 = COMMAND.exec(line);
    if (v2) {
      const [, name = "", message = ""] = v2;
      const kind = name.toLowerCase();
      if (VALUE_COMMANDS.has(kind)) continue;
      out.push(
        kind === "error"
          ? `Error: ${message}`
          : kind === "warning"
            ? `Warning: ${message}`
            : kind === "notice"
              ? `Notice: ${message}`
              : message,
      );
      continue;
    }
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
