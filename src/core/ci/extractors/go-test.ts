import { firstLines, type Extractor, type Failure } from "../failure.ts";

const FAIL = /^(\s*)--- FAIL: (\S+) \([\d.]+s\)$/;
const AT = /^\s+([\w./-]+_test\.go:\d+): ?(.*)$/;

/** `go test`: `--- FAIL: TestName (s)` with its indented `file_test.go:N: message` lines, and panics. */
export const goTest: Extractor = {
  tool: "go test",
  extract(lines) {
    const failures: Failure[] = [];
    for (let i = 0; i < lines.length; i++) {
      const header = FAIL.exec(lines[i] ?? "");
      if (!header?.[2]) continue;
      const indent = (header[1] ?? "").length;
      const block: string[] = [];
      for (let j = i + 1; j < lines.length; j++) {
        const next = lines[j] ?? "";
        if (
          FAIL.test(next) ||
          /^(?:=== |ok\s|FAIL\b|PASS\b|\?\s)/.test(next) ||
          next.search(/\S/) <= indent
        )
          break;
        block.push(next);
      }
      const located = block.map((l) => AT.exec(l)).filter((m) => m !== null);
      // A parent whose subtests failed says nothing of its own: its subtests are the failures.
      if (located.length === 0 && block.length === 0 && FAIL.test(lines[i + 1] ?? "")) continue;
      failures.push({
        tool: "go test",
        test: header[2],
        message: firstLines(located.length > 0 ? located.map((m) => m[2] ?? "") : block, 6),
        location: located[0]?.[1] ?? null,
        frames: [],
      });
    }
    const panic = lines.findIndex((l) => /^panic: /.test(l));
    if (panic >= 0 && failures.length === 0) {
      const frames = lines
        .slice(panic)
        .filter((l) => /^\s+\S+\.go:\d+/.test(l))
        .map((l) => l.trim().replace(/ \+0x[0-9a-f]+$/, ""));
      failures.push({
        tool: "go test",
        test: null,
        message: lines[panic] ?? "",
        location:
          frames.find((f) => !f.includes("/src/runtime/") && !f.includes("/src/testing/")) ?? null,
        frames: frames.slice(0, 3),
      });
    }
    return failures;
  },
};
