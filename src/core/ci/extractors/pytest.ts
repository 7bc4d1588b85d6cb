import { firstLines, locationIn, type Extractor, type Failure } from "../failure.ts";

const SECTION = /^=+ (FAILURES|ERRORS) =+$/;
const BLOCK = /^_{3,} (.+?) _{3,}$/;
const SUMMARY = /^(FAILED|ERROR) (\S+)(?: - (.*))?$/;

/** pytest: the `FAILURES` section's blocks (`E` lines, `file.py:N:`) and the short summary. */
export const pytest: Extractor = {
  tool: "pytest",
  extract(lines) {
    const blocks = new Map<string, { message: string; location: string | null }>();
    const start = lines.findIndex((l) => SECTION.test(l));
    for (let i = start < 0 ? lines.length : start; i < lines.length; i++) {
      const header = BLOCK.exec(lines[i] ?? "");
      if (!header?.[1]) continue;
      const block: string[] = [];
      for (let j = i + 1; j < lines.length; j++) {
        const next = lines[j] ?? "";
        if (BLOCK.test(next) || /^=+ .* =+$/.test(next)) break;
        block.push(next);
      }
      const marked = block.filter((l) => /^E\s/.test(l)).map((l) => l.slice(1));
      const located = block.filter((l) => /^\S+\.py:\d+/.test(l));
      blocks.set(header[1], {
        message: firstLines(
          marked.length > 0
            ? marked
            : block.filter((l) => !/^[-\s]*$|^\s{4}|^>|^\S+\.py:\d+|^Failed Checks:/.test(l)),
          6,
        ),
        location: located.map(locationIn).find((l) => l !== null) ?? null,
      });
    }
    const failures: Failure[] = [];
    const named = new Set<string>();
    for (const line of lines) {
      const summary = SUMMARY.exec(line);
      if (!summary?.[2] || !/::|\.py$/.test(summary[2])) continue;
      const short = summary[2].split("::").slice(1).join(".");
      const block = blocks.get(short) ?? blocks.get(summary[2].split("::").at(-1) ?? "");
      named.add(short);
      failures.push({
        tool: "pytest",
        test: summary[2],
        message: block?.message || (summary[3] ?? summary[1] ?? ""),
        location: block?.location ?? null,
        frames: [],
      });
    }
    // Without the short summary (`-rN`, a crash before it), the blocks alone.
    for (const [name, block] of blocks)
      if (!named.has(name) && failures.length === 0)
        failures.push({
          tool: "pytest",
          test: name,
          message: block.message,
          location: block.location,
          frames: [],
        });
    return failures;
  },
};
