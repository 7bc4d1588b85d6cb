import { describe, expect, it } from "vitest";
import { normalizePath } from "../../../src/core/text/glob.ts";
import { sanitizeUntrusted } from "../../../src/core/text/sanitize.ts";

// What was invisible for either of the two lists this one replaces (sanitize.ts's and glob.ts's),
// and Unicode's other default-ignorable code points: every one is removed from a prompt's text and
// from a repository path alike.
const INVISIBLE_RANGES: readonly (readonly [number, number])[] = [
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x061c, 0x061c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xfff0, 0xfffb],
  [0x1bca0, 0x1bca3],
  [0x1d173, 0x1d17a],
  [0xe0000, 0xe0fff],
];

const inRanges = (c: number) => INVISIBLE_RANGES.some(([from, to]) => c >= from && c <= to);
const removedBySanitize = (c: number) =>
  sanitizeUntrusted(`a${String.fromCodePoint(c)}b`, "source") === "ab";
const removedByPath = (c: number) => normalizePath(`a${String.fromCodePoint(c)}b`) === "ab";

describe("invisible characters", () => {
  it("are the same for prompts and for paths: every one of both old lists and Unicode's", () => {
    const points = INVISIBLE_RANGES.flatMap(([from, to]) =>
      Array.from({ length: to - from + 1 }, (_, i) => from + i),
    );
    expect(points.filter((c) => !removedBySanitize(c)).map((c) => c.toString(16))).toEqual([]);
    expect(points.filter((c) => !removedByPath(c)).map((c) => c.toString(16))).toEqual([]);
    expect(sanitizeUntrusted("a\u200b\u{e0041}b")).toBe("ab");
  });

  it("are exactly those: no other code point is removed, by either", () => {
    const removed: string[] = [];
    for (let c = 0; c <= 0x10ffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const bySanitize = removedBySanitize(c);
      if (bySanitize !== removedByPath(c) || bySanitize !== inRanges(c))
        removed.push(`${c.toString(16)}: sanitize ${bySanitize}, path ${removedByPath(c)}`);
    }
    expect(removed).toEqual([]);
    // Visible neighbours stay in both.
    for (const c of [0x00ac, 0x00ae, 0x2010, 0x2070, 0xfe10, 0xfffc, 0xe1000]) {
      expect(removedBySanitize(c), c.toString(16)).toBe(false);
      expect(removedByPath(c), c.toString(16)).toBe(false);
    }
  });
});
