import ora, { type Ora } from "ora";

export interface Progress {
  update(task: string, line: string): void;
  stop(): void;
}

export interface ProgressOptions {
  /** `--json`: nothing but the JSON document is printed. */
  readonly json: boolean;
  /** Where the spinner draws: stdout, when it is a terminal. */
  readonly stdout: { readonly isTTY?: boolean; readonly columns?: number };
  /** Where plain progress lines go when there is no terminal to draw on. */
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Each task's latest status line. A spinner on a terminal that has a width; a terminal that
 * reports 0 columns (`script`, agent shells, some CI wrappers) sends ora's redraw into a loop
 * that never ends, so there and without a terminal each change is one plain line on stderr,
 * leaving stdout to the report. `NO_COLOR` (no-color.org) turns the spinner's colour off.
 */
/**
 * The terminal's line for a status comment: its first line as plain text, without the task id
 * the Markdown repeats (`**T1**: planning` is shown as `T1: planning`).
 */
export function statusLine(task: string, body: string): string {
  const first = body.split("\n")[0] ?? "";
  const plain = first.replace(/\*\*|`/g, "");
  return plain.startsWith(`${task}: `) ? plain.slice(task.length + 2) : plain;
}

export function createProgress(options: ProgressOptions): Progress {
  if (options.json) return { update: () => undefined, stop: () => undefined };
  const width = options.stdout.columns ?? 0;
  if (options.stdout.isTTY !== true || width <= 0) {
    const last = new Map<string, string>();
    return {
      update(task, line) {
        if (last.get(task) === line) return;
        last.set(task, line);
        options.stderr.write(`${task}: ${line}\n`);
      },
      stop: () => undefined,
    };
  }
  const noColor = (options.env["NO_COLOR"] ?? "") !== "";
  const lines = new Map<string, string>();
  const spinner: Ora = ora({ text: "starting", isEnabled: true, color: noColor ? false : "cyan" });
  spinner.start();
  return {
    update(task, line) {
      lines.set(task, line);
      spinner.text = [...lines.entries()].map(([t, l]) => `${t}: ${l}`).join("\n  ");
    },
    stop() {
      spinner.stop();
    },
  };
}
