import { firstLines, locationIn, type Extractor, type Failure } from "../failure.ts";

const SUMMARY = /^\s*\d+ failing\s*$/;
const HEADER = /^\s*(\d+)\) (.+?):?\s*$/;

/**
 * Mocha's spec (and dot, list…) reporters' epilogue: after `N failing`, each failure as
 * `N) suite test:`, the error, and its `at` frames (Windows paths read with forward slashes).
 */
export const mocha: Extractor = {
  tool: "mocha",
  extract(lines) {
    const start = lines.findIndex((l) => SUMMARY.test(l));
    if (start < 0) return [];
    const failures: Failure[] = [];
    for (let i = start + 1; i < lines.length; i++) {
      const header = HEADER.exec(lines[i] ?? "");
      if (!header?.[2]) continue;
      const block: string[] = [];
      // Mocha indents its epilogue; a line at the margin is the runner or the CI again.
      for (
        let j = i + 1;
        j < lines.length && !HEADER.test(lines[j] ?? "") && !/^\S/.test(lines[j] ?? "");
        j++
      )
        block.push(lines[j] ?? "");
      const frames = block
        .filter((l) => /^\s*at\s/.test(l))
        .map((l) =>
          l
            .trim()
            .replace(/^at\s+/, "")
            .replace(/\\/g, "/"),
        );
      failures.push({
        tool: "mocha",
        test: header[2],
        message: firstLines(
          block.filter((l) => !/^\s*at\s/.test(l)),
          8,
        ),
        location: frames.map(locationIn).find((l) => l !== null) ?? null,
        frames: frames.filter((f) => locationIn(f) !== null).slice(0, 3),
      });
    }
    return failures;
  },
};
