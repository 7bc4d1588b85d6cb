import { locationIn, type Extractor, type Failure } from "../failure.ts";

const ERROR_LINE =
  /(?:^|\s)(?:error|fatal|ERROR|FATAL|Error|Fatal)(?:\[[\w-]+\])?:\s|^\s*(?:[A-Z]\w*Error|Exception)\b:?|\bERR!\s/;
// GitHub Actions' own last line, which says only that a command failed.
const EXIT_LINE = /^Error: Process completed with exit code \d+\.$/;

/** Any tool: lines that say `error:` (compilers, linkers, package managers, CMake), in order, once each. */
export const generic: Extractor = {
  tool: "log",
  extract(lines) {
    const seen = new Set<string>();
    const failures: Failure[] = [];
    for (const line of lines) {
      const text = line.trim();
      if (!ERROR_LINE.test(line) || EXIT_LINE.test(text) || seen.has(text)) continue;
      seen.add(text);
      failures.push({
        tool: "log",
        test: null,
        message: text,
        location: locationIn(text),
        frames: [],
      });
    }
    return failures.slice(0, 20);
  },
};
