import { firstLines, locationIn, type Extractor, type Failure } from "../failure.ts";

const HEADER = /^\s*● (.+?)\s*$/;
const NOT_A_TEST = /^(?:Console|Test suite failed to run)$/;

/** Jest's default reporter: `● Suite › test`, the matcher message, a code frame, `at` frames. */
export const jest: Extractor = {
  tool: "jest",
  extract(lines) {
    const failures: Failure[] = [];
    for (let i = 0; i < lines.length; i++) {
      const header = HEADER.exec(lines[i] ?? "");
      if (!header?.[1] || header[1] === "Console") continue;
      const block: string[] = [];
      for (let j = i + 1; j < lines.length && !HEADER.test(lines[j] ?? ""); j++) {
        // Jest indents all of a failure; a line at the margin is the summary or the runner.
        if (/^\S/.test(lines[j] ?? "")) break;
        block.push(lines[j] ?? "");
      }
      const frames = block
        .filter((l) => /^\s*at\s/.test(l))
        .map((l) => l.trim().replace(/^at\s+/, ""));
      const message = block.filter((l) => !/^\s*(?:at\s|>?\s*\d+\s*\||\|)/.test(l));
      failures.push({
        tool: "jest",
        test: NOT_A_TEST.test(header[1]) ? null : header[1],
        message: firstLines(message, 8),
        location: frames.map(locationIn).find((l) => l !== null) ?? null,
        frames: frames.filter((f) => locationIn(f) !== null).slice(0, 3),
      });
    }
    return failures;
  },
};
