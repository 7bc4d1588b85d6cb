import { describe, expect, it } from "vitest";
import {
  checkChangedFile,
  DEFAULT_FILE_CHECKS,
  type ChangedFile,
} from "../../src/core/checks/changed-files.ts";

const check = (file: ChangedFile) =>
  checkChangedFile(file, DEFAULT_FILE_CHECKS).map(
    (p) => `${p.check} ${p.line ?? "-"}:${p.column ?? "-"} ${p.message}`,
  );

describe("the cheap checks of a changed file", () => {
  it("passes valid files of every kind", () => {
    for (const [path, text] of [
      ["a.json", '{"a": [1, 2]}\n'],
      ["a.yaml", "a:\n  - 1\n---\nb: 2\n"],
      ["a.toml", '[package]\nname = "x"\n'],
      ["a.ts", "export interface A { b: number }\nexport const a = <T,>(x: T) => x;\n"],
      ["a.tsx", "export const A = () => <div>{1}</div>;\n"],
      ["a.cjs", "module.exports = function () { return 1; };\n"],
      ["a.js", "// @flow\nexport function f(x: number): number { return x; }\n"],
      ["d.d.ts", "declare module 'x' { export const y: number; }\n"],
    ] as const)
      expect(check({ path, text, before: null }), path).toEqual([]);
  });

  it("holds a file to a check only if the change broke it", () => {
    expect(check({ path: "a.json", text: "{,}", before: "{,}\n" })).toEqual([]);
    expect(check({ path: "a.json", text: "{,}", before: "{}\n" })).toEqual([
      "json 1:2 Expected property name or '}'",
    ]);
    // Conflict markers that were there already (a merge tool's test, a doc about them).
    const markers = "<<<<<<< ours\na\n=======\nb\n>>>>>>> theirs\n";
    expect(check({ path: "doc.md", text: `${markers}more\n`, before: markers })).toEqual([]);
    expect(
      check({ path: "doc.md", text: `x\r\n${markers.replace(/\n/g, "\r\n")}`, before: "x\n" }),
    ).toEqual(["conflict 2:1 a merge-conflict marker (`<<<<<<<`, `=======`, `>>>>>>>`)"]);
  });

  it("leaves JSON with comments to the tools that allow them, templates, fixtures and binary files alone", () => {
    const jsonc = '{\n  // strict\n  "compilerOptions": {},\n}\n';
    expect(check({ path: "tsconfig.json", text: jsonc, before: null })).toEqual([]);
    expect(check({ path: "packages/a/tsconfig.build.json", text: jsonc, before: null })).toEqual(
      [],
    );
    expect(
      check({ path: "chart/templates/a.yaml", text: "a: {{ .Values.a }}\n  b: [", before: null }),
    ).toEqual([]);
    expect(check({ path: "test/fixtures/bad.ts", text: "let = ;", before: null })).toEqual([]);
    expect(check({ path: "a.js", text: "\0\x01", before: null })).toEqual([]);
  });

  it("refuses a file that grows past the size limit, not one that was larger already", () => {
    const big = "x".repeat(DEFAULT_FILE_CHECKS.maxBytes + 1);
    expect(check({ path: "a.txt", text: big, before: null })).toEqual([
      `size -:- ${DEFAULT_FILE_CHECKS.maxBytes + 1} bytes, more than the ${DEFAULT_FILE_CHECKS.maxBytes} a changed file may have`,
    ]);
    expect(check({ path: "a.txt", text: `${big}y`, before: big })).toEqual([]);
    // Bytes, not characters: 400,000 three-byte characters are 1.2 MB.
    expect(check({ path: "a.txt", text: "€".repeat(400_000), before: null })).toHaveLength(1);
  });
});
