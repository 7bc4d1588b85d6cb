import { firstLines, locationIn, type Extractor, type Failure } from "../failure.ts";

const HEADER = /^\s*FAIL\s+(\S+)\s+>\s+(.+?)\s*$/;
// Vitest indents a failure by at least one space; a line at the margin is the runner or a summary.
const END = /^(?:\S|\s*(?:FAIL\s|⎯{3,}|Test Files\s|Tests\s))/;

/** Vitest's default reporter: ` FAIL  file > suite > test`, the error, a diff, `❯ file:line:col`. */
export const vitest: Extractor = {
  tool: "vitest",
  extract(lines) {
    const failures: Failure[] = [];
    for (let i = 0; i < lines.length; i++) {
      const header = HEADER.exec(lines[i] ?? "");
      if (!header) continue;
      const block: string[] = [];
      for (let j = i + 1; j < lines.length && !END.test(lines[j] ?? ""); j++)
        block.push(lines[j] ?? "");
      const frames = block
        .filter((l) => /^\s*❯\s/.test(l))
        .map((l) => l.trim().replace(/^❯\s*/, ""));
      const text = block.filter((l) => !/^\s*(?:❯\s|\d+\||\|)/.test(l) && !/^\s+\d+\|/.test(l));
      failures.push({
        tool: "vitest",
        test: `${header[1] ?? ""} > ${header[2] ?? ""}`,
        message: firstLines(text, 8),
        location: frames.map(locationIn).find((l) => l !== null) ?? null,
        frames: frames.slice(0, 3),
      });
    }
    return failures;
  },
};
