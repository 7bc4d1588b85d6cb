import { firstLines, locationIn, type Extractor, type Failure } from "../failure.ts";

const SPEC = /^(\s*)✖ (.+?) \([\d.]+m?s\)$/;
const TAP = /^\s*not ok \d+ - (.+?)\s*(?:# .*)?$/;

/** `node --test`: the spec reporter's `✖ name (ms)` and error, or TAP's `not ok N - name`. */
export const nodeTest: Extractor = {
  tool: "node:test",
  extract(lines) {
    // The spec reporter repeats every failure under "✖ failing tests:"; read that part when present.
    const summary = lines.findIndex((l) => /^✖ failing tests:/.test(l));
    const from = summary >= 0 ? summary + 1 : 0;
    const failures = new Map<string, Failure>();
    for (let i = from; i < lines.length; i++) {
      const line = lines[i] ?? "";
      const spec = SPEC.exec(line);
      const tap = spec ? null : TAP.exec(line);
      const name = spec?.[2] ?? tap?.[1];
      if (!name || failures.has(name) || /^failing tests:/.test(name)) continue;
      const indent = (spec?.[1] ?? "").length;
      const block: string[] = [];
      for (let j = i + 1; j < lines.length; j++) {
        const next = lines[j] ?? "";
        if (next.trim() && next.search(/\S/) <= indent && !/^\s*[-.]{3}$/.test(next)) break;
        block.push(next);
      }
      const frames = block
        .filter((l) => /^\s*at\s/.test(l))
        .map((l) => l.trim().replace(/^at\s+/, ""));
      const tapError = block.map((l) => /^\s*error:\s*(.+)$/.exec(l)?.[1]).find(Boolean);
      const tapLocation = block.map((l) => /^\s*location:\s*'(.+)'$/.exec(l)?.[1]).find(Boolean);
      const message = tapError
        ? tapError.replace(/^['|>-]+\s*|'$/g, "")
        : firstLines(
            block.filter(
              (l) =>
                !/^\s*(?:at\s|[{}]|\.\.\.|---|(?:generatedMessage|code|operator|failureType|stack):)/.test(
                  l,
                ),
            ),
            6,
          );
      const before = lines[i - 1] ?? "";
      failures.set(name, {
        tool: "node:test",
        test: name,
        message: message || (tap ? name : ""),
        location:
          locationIn(tapLocation ?? "") ??
          (/^test at /.test(before) ? locationIn(before.slice(8)) : null) ??
          frames.map(locationIn).find((l) => l !== null) ??
          null,
        frames: frames.filter((f) => locationIn(f) !== null).slice(0, 3),
      });
    }
    return [...failures.values()];
  },
};
