import type { Extractor, Failure } from "../failure.ts";

const PROBLEM = /^\s+(\d+):(\d+)\s+(error|warning)\s+(.+?)(?:\s{2,}(\S+))?$/;
const FILE = /^(?:[A-Za-z]:)?[^\s:][^:]*\.[A-Za-z]{1,6}$/;
const SUMMARY = /^✖ \d+ problems? \((\d+) errors?, (\d+) warnings?\)/;

/** ESLint's stylish formatter: a file's path, then `line:col  error  message  rule` lines. */
export const eslint: Extractor = {
  tool: "eslint",
  extract(lines) {
    if (!lines.some((l) => SUMMARY.test(l))) return [];
    const problems: (Failure & { level: string })[] = [];
    let file: string | null = null;
    for (const line of lines) {
      if (FILE.test(line.trim()) && !line.startsWith(" ")) {
        file = line.trim();
        continue;
      }
      const m = PROBLEM.exec(line);
      if (!m || file === null) continue;
      problems.push({
        tool: "eslint",
        test: null,
        level: m[3] ?? "error",
        message: `${m[4] ?? ""}${m[5] ? ` (${m[5]})` : ""}`,
        location: `${file}:${m[1] ?? ""}:${m[2] ?? ""}`,
        frames: [],
      });
    }
    // Warnings fail a run only under --max-warnings; they are the failures when there is no error.
    const errors = problems.filter((p) => p.level === "error");
    return (errors.length > 0 ? errors : problems).map(({ level, ...failure }) => ({
      ...failure,
      message: level === "warning" ? `warning: ${failure.message}` : failure.message,
    }));
  },
};
