import { parse } from "yaml";
import { firstLines, locationIn, type Extractor, type Failure } from "../failure.ts";

const SPEC = /^(\s*)✖ (.+?) \([\d.]+m?s\)$/;
const TAP = /^(\s*)not ok \d+ - (.+?)\s*(?:# .*)?$/;
const PROPERTY = /^\s*(?:at\s|[{}]|(?:generatedMessage|code|operator|failureType|stack):)/;

/** `node --test`: the spec reporter's `✖ name (ms)` and its error, or TAP's `not ok N - name` and its YAML. */
export const nodeTest: Extractor = {
  tool: "node:test",
  extract(lines) {
    return lines.some((l) => TAP.test(l)) ? tap(lines) : spec(lines);
  },
};

function spec(lines: readonly string[]): Failure[] {
  // The spec reporter repeats every failure under "✖ failing tests:"; read that part when present.
  const summary = lines.findIndex((l) => /^✖ failing tests:/.test(l));
  const failures = new Map<string, Failure>();
  for (let i = summary >= 0 ? summary + 1 : 0; i < lines.length; i++) {
    const header = SPEC.exec(lines[i] ?? "");
    const name = header?.[2];
    if (!name || failures.has(name)) continue;
    const block = indented(lines, i, (header[1] ?? "").length);
    const frames = stackFrames(block);
    const before = lines[i - 1] ?? "";
    failures.set(name, {
      tool: "node:test",
      test: name,
      message: firstLines(
        block.filter((l) => !PROPERTY.test(l)),
        6,
      ),
      location:
        (/^test at /.test(before) ? locationIn(before.slice(8)) : null) ??
        frames.map(locationIn).find((l) => l !== null) ??
        null,
      frames: frames.filter((f) => locationIn(f) !== null).slice(0, 3),
    });
  }
  return [...failures.values()];
}

function tap(lines: readonly string[]): Failure[] {
  const failures: Failure[] = [];
  for (let i = 0; i < lines.length; i++) {
    const header = TAP.exec(lines[i] ?? "");
    if (!header?.[2]) continue;
    const block = indented(lines, i, (header[1] ?? "").length);
    const start = block.findIndex((l) => /^\s*---$/.test(l));
    const end = block.findIndex((l, k) => k > start && /^\s*\.\.\.$/.test(l));
    const details = start >= 0 && end > start ? yamlBlock(block.slice(start + 1, end)) : {};
    // A parent fails because its subtests did; they are the failures.
    if (details["failureType"] === "subtestsFailed") continue;
    const text = (key: string): string | null =>
      typeof details[key] === "string" ? details[key] : null;
    const values =
      "expected" in details || "actual" in details
        ? `expected: ${JSON.stringify(details["expected"])}\nactual: ${JSON.stringify(details["actual"])}`
        : "";
    const frames = (text("stack") ?? "").split("\n").filter((l) => locationIn(l) !== null);
    failures.push({
      tool: "node:test",
      test: header[2],
      message: firstLines([...(text("error") ?? header[2]).split("\n"), ...values.split("\n")], 8),
      location: locationIn(text("location") ?? "") ?? frames.map(locationIn).find(Boolean) ?? null,
      frames: frames.slice(0, 3).map((f) => f.trim()),
    });
  }
  return failures;
}

/** The lines after a header that are indented deeper than it (blank lines included). */
function indented(lines: readonly string[], header: number, indent: number): string[] {
  const block: string[] = [];
  for (let j = header + 1; j < lines.length; j++) {
    const next = lines[j] ?? "";
    if (next.trim() && next.search(/\S/) <= indent) break;
    block.push(next);
  }
  return block;
}

function stackFrames(block: readonly string[]): string[] {
  return block.filter((l) => /^\s*at\s/.test(l)).map((l) => l.trim().replace(/^at\s+/, ""));
}

function yamlBlock(lines: readonly string[]): Record<string, unknown> {
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.search(/\S/)));
  try {
    const value: unknown = parse(lines.map((l) => l.slice(indent)).join("\n"));
    return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
