/** One failure found in a CI log: a failing test, a compiler error, a lint error. */
export interface Failure {
  /** The tool whose output it was found in (`vitest`, `pytest`, `tsc`, …). */
  readonly tool: string;
  /** The failing test's full name; null for compiler, lint and other errors. */
  readonly test: string | null;
  /** The assertion or error message, a few lines at most. */
  readonly message: string;
  /** `file:line[:column]` where it failed, when the log says. */
  readonly location: string | null;
  /** The first stack frames, outermost runner frames left out. */
  readonly frames: readonly string[];
}

/** Finds the failures of one tool's output in a cleaned log; [] when the log has none of its shape. */
export interface Extractor {
  readonly tool: string;
  extract(lines: readonly string[]): Failure[];
}

/** The first `max` non-empty lines of a block, trimmed. */
export function firstLines(lines: readonly string[], max: number): string {
  return lines
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, max)
    .join("\n");
}

/** `path:line[:col]` in a stack frame or message, without runner or dependency frames. */
export function locationIn(line: string): string | null {
  const m = /(?:\(|\s|^|file:\/\/)((?:[A-Za-z]:)?[\w./@+-]+\.[A-Za-z]{1,5}):(\d+)(?::(\d+))?/.exec(
    line,
  );
  if (!m?.[1] || m[1].includes("node_modules/") || m[1].startsWith("node:")) return null;
  return `${m[1]}:${m[2] ?? ""}${m[3] ? `:${m[3]}` : ""}`;
}
