/**
 * The GitHub Actions runner reading a step's output for workflow commands: a port of its rules,
 * so a test can ask what a runner would have done with what the Action printed. Source:
 * actions/runner, `src/Runner.Common/ActionCommand.cs` (`TryParseV2`, `TryParse`, the unescape
 * tables) and `src/Runner.Worker/ActionCommandManager.cs` (`TryProcessCommand`: registered
 * commands, `stop-commands` and its resume token). Lines are split as .NET `ReadLine` splits
 * them (`\n`, `\r`, `\r\n`).
 */

export interface RunnerCommand {
  readonly command: string;
  readonly properties: Readonly<Record<string, string>>;
  readonly data: string;
}

/** The command extensions a runner registers (plus `stop-commands`), compared ignoring case. */
const REGISTERED = [
  "stop-commands",
  "set-env",
  "set-output",
  "save-state",
  "add-mask",
  "add-path",
  "add-matcher",
  "remove-matcher",
  "warning",
  "error",
  "notice",
  "debug",
  "group",
  "endgroup",
  "echo",
];

// `_escapeMappings` / `_escapeDataMappings` / `_escapePropertyMappings`, applied in this order.
const UNESCAPE_LEGACY: [string, string][] = [
  [";", "%3B"],
  ["\r", "%0D"],
  ["\n", "%0A"],
  ["]", "%5D"],
  ["%", "%25"],
];
const UNESCAPE_DATA: [string, string][] = [
  ["\r", "%0D"],
  ["\n", "%0A"],
  ["%", "%25"],
];
const UNESCAPE_PROPERTY: [string, string][] = [
  ["\r", "%0D"],
  ["\n", "%0A"],
  [":", "%3A"],
  [",", "%2C"],
  ["%", "%25"],
];
const unescape = (text: string, table: [string, string][]): string =>
  table.reduce((t, [token, replacement]) => t.replaceAll(replacement, token), text);

/** .NET `String.TrimStart()`: `Char.IsWhiteSpace`. */
const trimStart = (s: string): string => s.replace(/^[\s\u0085]+/, "");

function parseV2(line: string, registered: Set<string>): RunnerCommand | null {
  const message = trimStart(line);
  if (!message.startsWith("::")) return null;
  const end = message.indexOf("::", 2);
  if (end < 0) return null;
  const info = message.slice(2, end);
  const space = info.indexOf(" ");
  const command = space < 0 ? info : info.slice(0, space);
  if (!registered.has(command.toLowerCase())) return null;
  const properties: Record<string, string> = {};
  if (space > 0)
    for (const p of info
      .slice(space + 1)
      .trim()
      .split(",")
      .filter(Boolean)) {
      const eq = p.indexOf("=");
      if (eq > 0 && eq < p.length - 1)
        properties[p.slice(0, eq)] = unescape(p.slice(eq + 1), UNESCAPE_PROPERTY);
    }
  return { command, properties, data: unescape(message.slice(end + 2), UNESCAPE_DATA) };
}

function parseLegacy(line: string, registered: Set<string>): RunnerCommand | null {
  const prefix = line.indexOf("##[");
  if (prefix < 0) return null;
  const rb = line.indexOf("]", prefix);
  if (rb < 0) return null;
  const info = line.slice(prefix + 3, rb);
  const space = info.indexOf(" ");
  const command = space < 0 ? info : info.slice(0, space);
  if (!registered.has(command.toLowerCase())) return null;
  const properties: Record<string, string> = {};
  if (space > 0)
    for (const p of info
      .slice(space + 1)
      .split(";")
      .filter(Boolean)) {
      const eq = p.indexOf("=");
      if (eq > 0 && eq < p.length - 1)
        properties[p.slice(0, eq)] = unescape(p.slice(eq + 1), UNESCAPE_LEGACY);
    }
  return { command, properties, data: unescape(line.slice(rb + 1), UNESCAPE_LEGACY) };
}

/** The commands a runner processes from this output, in order (stop and resume included). */
export function runnerCommands(output: string | readonly string[]): RunnerCommand[] {
  const lines = (typeof output === "string" ? [output] : output).flatMap((o) =>
    o.split(/\r\n|\r|\n/),
  );
  const registered = new Set(REGISTERED);
  const processed: RunnerCommand[] = [];
  let stopToken: string | null = null;
  for (const line of lines) {
    if (line === "") continue;
    const command = parseV2(line, registered) ?? parseLegacy(line, registered);
    if (!command) continue;
    const name = command.command.toLowerCase();
    if (stopToken !== null) {
      if (name === stopToken) {
        registered.delete(stopToken);
        stopToken = null;
        processed.push(command);
      }
      continue;
    }
    if (name === "stop-commands") {
      stopToken = command.data.toLowerCase();
      registered.add(stopToken);
    }
    processed.push(command);
  }
  return processed;
}
