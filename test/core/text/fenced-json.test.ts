import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fencedBody } from "../../../src/core/text/fenced-json.ts";

// The pattern the scanner replaces: quadratic on a fence followed by many newlines, but the
// reference for what the answer is.
const OLD = /```(?:json)?\s*\n([\s\S]*?)\n```/;

describe("fencedBody", () => {
  it("answers what the old fence pattern answered, on texts made of fence parts", () => {
    const part = fc.constantFrom("```", "`", "json", "\n", " ", "\t", "{}", "x", "\r\n");
    fc.assert(
      fc.property(fc.array(part, { maxLength: 30 }), (parts) => {
        const text = parts.join("");
        expect(fencedBody(text)).toBe(OLD.exec(text)?.[1]);
      }),
      { numRuns: 5_000 },
    );
  });

  it("finds the JSON of a fenced answer", () => {
    expect(fencedBody('Here:\n```json\n{"a": 1}\n```\nthanks')).toBe('{"a": 1}');
    expect(fencedBody("no fence")).toBeUndefined();
  });
});
