import type { Extractor, Failure } from "../failure.ts";

// `file(line,col): error TS1234: message`, or `--pretty`'s `file:line:col - error TS1234: message`.
const ERROR = /^\s*(\S.*?)(?:\((\d+),(\d+)\):|:(\d+):(\d+) -) error (TS\d+): (.*)$/;

/** The TypeScript compiler: each error with its place and its indented continuation lines. */
export const tsc: Extractor = {
  tool: "tsc",
  extract(lines) {
    const failures: Failure[] = [];
    for (let i = 0; i < lines.length; i++) {
      const m = ERROR.exec(lines[i] ?? "");
      if (!m) continue;
      const more: string[] = [];
      for (
        let j = i + 1;
        j < lines.length &&
        /^\s{2,}\S/.test(lines[j] ?? "") &&
        !ERROR.test(lines[j] ?? "") &&
        more.length < 4;
        j++
      )
        more.push((lines[j] ?? "").trim());
      failures.push({
        tool: "tsc",
        test: null,
        message: [`${m[6] ?? ""}: ${m[7] ?? ""}`, ...more].join("\n"),
        location: `${m[1] ?? ""}:${m[2] ?? m[4] ?? ""}:${m[3] ?? m[5] ?? ""}`,
        frames: [],
      });
    }
    return failures;
  },
};
