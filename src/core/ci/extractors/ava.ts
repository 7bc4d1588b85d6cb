import { firstLines, locationIn, type Extractor, type Failure } from "../failure.ts";

const LIVE = /^\s*✘ \[(?:fail|unexpected pass)\]: (.+)$/;
const CRASH = /^\s*(Uncaught exception|Unhandled rejection) in (\S+)$/;
const RULE = /^\s*─$/;
const AT = /^\s*(\S+\.[A-Za-z]{1,5}):(\d+)$/;
const CODE = /^\s*\d+:/;
const FRAME = /^\s*›\s/;

/**
 * AVA's default reporter: `✘ [fail]: file › title` as tests end, then after a `─` rule a block
 * per failure (`file › title`, `file.js:line`, a code frame, the assertion, `› frames`), and
 * `Uncaught exception in file` / `Unhandled rejection in file` blocks as they happen.
 */
export const ava: Extractor = {
  tool: "ava",
  extract(lines) {
    const live = lines.flatMap((l) => LIVE.exec(l)?.slice(1, 2) ?? []);
    const crashes = crashBlocks(lines);
    if (live.length === 0 && crashes.length === 0) return [];
    const start = lines.findIndex((l) => RULE.test(l));
    const failures: Failure[] = [...crashes];
    if (start < 0) {
      for (const title of live)
        failures.push({ tool: "ava", test: title, message: "", location: null, frames: [] });
      return failures;
    }
    // A block's title is a line that a `✘ [fail]:` line starts with (that line may go on
    // with the message).
    const isTitle = (line: string): string | null => {
      const text = line.trim();
      if (!/^ {1,2}\S/.test(line)) return null;
      return live.some((l) => l === text || l.startsWith(`${text} `)) ? text : null;
    };
    for (let i = start + 1; i < lines.length; i++) {
      const title = isTitle(lines[i] ?? "");
      if (title === null) continue;
      const block: string[] = [];
      for (let j = i + 1; j < lines.length; j++) {
        const next = lines[j] ?? "";
        if (RULE.test(next) || isTitle(next) !== null) break;
        block.push(next);
      }
      failures.push(failureOf(title, block));
    }
    return failures;
  },
};

function failureOf(title: string | null, block: readonly string[], prefix = ""): Failure {
  const frames = block.filter((l) => FRAME.test(l)).map((l) => l.trim().replace(/^›\s*/, ""));
  const located = frames.map(locationIn).filter((l): l is string => l !== null);
  const at = block.map((l) => AT.exec(l)).find((m) => m !== null);
  // The frame of the line the block names is the test's own; else the first frame.
  const own = at
    ? located.find((l) => l === `${at[1]}:${at[2]}` || l.includes(`${at[1]}:${at[2]}:`))
    : undefined;
  const message = firstLines(
    block.filter((l) => !FRAME.test(l) && !CODE.test(l) && !AT.test(l)),
    8,
  );
  return {
    tool: "ava",
    test: title,
    message: `${prefix}${message}`,
    location: own ?? located[0] ?? (at ? `${at[1]}:${at[2]}` : null),
    frames: frames.slice(0, 3),
  };
}

/** `Uncaught exception in file` and `Unhandled rejection in file` up to the next reporter line. */
function crashBlocks(lines: readonly string[]): Failure[] {
  const failures: Failure[] = [];
  for (let i = 0; i < lines.length; i++) {
    const header = CRASH.exec(lines[i] ?? "");
    if (!header) continue;
    const block: string[] = [];
    for (let j = i + 1; j < lines.length; j++) {
      const next = lines[j] ?? "";
      if (CRASH.test(next) || RULE.test(next) || /^\s*[✘✔-] /.test(next)) break;
      block.push(next);
    }
    failures.push(failureOf(null, block, `${header[1] ?? ""} in ${header[2] ?? ""}: `));
  }
  return failures;
}
