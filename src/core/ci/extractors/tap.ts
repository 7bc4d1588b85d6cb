import { firstLines, type Extractor, type Failure } from "../failure.ts";

const FILE = /^\s*FAIL\s+(\S+)\s+\d+ failed of \d+/;
const FAILED = /^\s*✖ (.+?)(?:\s+((?:[A-Za-z]:)?[\w./@+-]+\.[A-Za-z]{1,5}:\d+:\d+))?\s*$/;
const COMPLETE = /TEST COMPLETE/;

/**
 * node-tap's (v18+) base reporter: per test file `FAIL file N failed of M`, then `✖ name > …`
 * with `file:line:col` where the assertion is; after `TEST COMPLETE` each failure again with
 * its source and `error:`. The list before `TEST COMPLETE` is read; the details give messages.
 */
export const tap: Extractor = {
  tool: "tap",
  extract(lines) {
    const complete = lines.findIndex((l) => COMPLETE.test(l));
    const summary = complete >= 0 ? lines.slice(0, complete) : lines;
    const failures = new Map<string, Failure>();
    let file: string | null = null;
    for (const line of summary) {
      const header = FILE.exec(line);
      if (header?.[1]) {
        file = header[1];
        continue;
      }
      const failed = file === null ? null : FAILED.exec(line);
      if (!failed?.[1]) continue;
      const location = failed[2] ?? file;
      const key = `${failed[1]}|${location ?? ""}`;
      if (!failures.has(key))
        failures.set(key, {
          tool: "tap",
          test: failed[1],
          message: complete >= 0 ? details(lines.slice(complete), failed[1]) : "",
          location,
          frames: [],
        });
    }
    return [...failures.values()];
  },
};

/** The `error:` (and what follows it up to the stack) of a failure's detail block. */
function details(lines: readonly string[], name: string): string {
  const start = lines.findIndex((l) => l.trim() === `✖ ${name}`);
  if (start < 0) return "";
  const block: string[] = [];
  for (let j = start + 1; j < lines.length && !/^\s*✖ /.test(lines[j] ?? ""); j++)
    block.push(lines[j] ?? "");
  const error = block.findIndex((l) => /^\s*error:\s/.test(l));
  return error < 0 ? "" : firstLines(block.slice(error, error + 1), 1).replace(/^error:\s*/, "");
}
