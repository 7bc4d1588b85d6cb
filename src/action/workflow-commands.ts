/**
 * Workflow commands as the GitHub Actions runner reads them from a step's output, and text from
 * outside made unable to be one. The rules are the runner's own (actions/runner,
 * `src/Runner.Common/ActionCommand.cs` and `src/Runner.Worker/ActionCommandManager.cs`):
 *
 * - the output is read line by line (.NET `ReadLine`: a line ends at `\n`, `\r` or `\r\n`);
 * - a line is a command when, after its leading white space, it starts with `::`
 *   (`::name k=v,k=v::data`), or when it holds `##[` anywhere (`##[name k=v;k=v]data`, the
 *   older form, still read);
 * - `::stop-commands::<token>` stops all processing until a line that is the command `<token>`
 *   (`::<token>::`), so a block between the two is only printed.
 */

/** White space .NET's `TrimStart` removes (`Char.IsWhiteSpace`), before `::` is looked for. */
const LEADING_SPACE = /^[\s\u0085]*/;
/** Where the runner ends a line; U+0085, U+2028 and U+2029 too, to be safe with any reader. */
const LINE_BREAK = /\r\n|[\r\n\u0085\u2028\u2029]/;

/**
 * Text from outside (tool names, model text, error messages, titles) that can start no workflow
 * command in any of its lines: `##[` anywhere becomes `## [`, and a line whose first characters
 * are `::` is quoted with `> `. Line breaks are kept as they were.
 */
export function neutralise(text: string): string {
  const parts = text.split(new RegExp(`(${LINE_BREAK.source})`));
  return parts
    .map((part, i) => {
      // Odd indexes are the line breaks themselves.
      if (i % 2 === 1) return part;
      const line = part.replaceAll("##[", "## [");
      const lead = LEADING_SPACE.exec(line)?.[0].length ?? 0;
      return line.startsWith("::", lead) ? `> ${line}` : line;
    })
    .join("");
}

/** A command's data, escaped as the runner unescapes it: it stays on one line. */
export function escapeData(data: string): string {
  return data.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

/** A command property's value, escaped as the runner unescapes it. */
export function escapeProperty(value: string): string {
  return escapeData(value).replaceAll(":", "%3A").replaceAll(",", "%2C");
}

/** Command names are ours (`add-mask`, `error`): letters, digits and dashes. */
const COMMAND_NAME = /^[a-z][a-z0-9-]*$/i;

/** One workflow command line of ours, `::name k=v::data`, its data unable to start another line. */
export function commandLine(
  name: string,
  data: string,
  properties: Readonly<Record<string, string>> = {},
): string {
  if (!COMMAND_NAME.test(name)) throw new Error(`not a workflow command name: ${name}`);
  const props = Object.entries(properties)
    .map(([k, v]) => `${k}=${escapeProperty(v)}`)
    .join(",");
  return `::${name}${props ? ` ${props}` : ""}::${escapeData(data.replaceAll("##[", "## ["))}`;
}

/**
 * A block from outside as lines to print: `::stop-commands::<token>`, the block neutralised, and
 * `::<token>::`. The token must be unguessable (a fresh random one per block): text that knew it
 * could end the block early.
 */
export function stopCommandsBlock(text: string, token: string): string[] {
  if (!/^[a-z0-9]{16,}$/i.test(token))
    throw new Error("a stop-commands token is 16+ letters or digits");
  if (text.includes(token)) throw new Error("the block contains its stop-commands token");
  return [`::stop-commands::${token}`, ...neutralise(text).split(LINE_BREAK), `::${token}::`];
}
