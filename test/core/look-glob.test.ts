import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import { compileGlob } from "../../src/core/look/glob.ts";

const PATHS = [
  "README.md",
  "src/index.ts",
  "src/core/look/glob.ts",
  "src/core/look/glob.test.ts",
  "test/core/a.test.ts",
  ".github/workflows/ci.yml",
  "src/.hidden/x.ts",
  "docs/a b.md",
  "lib/x.js",
  "lib/x.jsx",
  "src/a[1].ts",
];
const GLOBS = [
  "*.ts",
  "*.md",
  "src/**/*.ts",
  "src/**",
  "**/*.test.ts",
  "{src,test}/**/*.ts",
  "lib/*.{js,jsx}",
  "src/*/look/*.ts",
  "?EADME.md",
  "*.[jt]s",
  ".github/**/*.yml",
  "docs/a b.md",
  "src/core/**/glob*.ts",
  "**",
];

describe("compileGlob", () => {
  it("matches what picomatch matches (dot files included, a slash-less glob on names)", () => {
    for (const glob of GLOBS) {
      const compiled = compileGlob(glob);
      if (!compiled.ok) throw new Error(compiled.error);
      const oracle = picomatch(glob, { dot: true, basename: !glob.includes("/") });
      for (const path of PATHS)
        expect(compiled.matches(path), `${glob} on ${path}`).toBe(oracle(path));
    }
  });

  it("negates a class with `!` or `^`, as gitignore and bash do (picomatch reads `[!t]` as `!` or `t`)", () => {
    const compiled = compileGlob("*.[!t]s");
    if (!compiled.ok) throw new Error(compiled.error);
    expect(compiled.matches("lib/x.js")).toBe(true);
    expect(compiled.matches("src/index.ts")).toBe(false);
  });

  it("takes time linear in the path for globs picomatch's regular expressions backtrack on", () => {
    const compiled = compileGlob("**/*a*a*a*a*a*a*a*a*b");
    if (!compiled.ok) throw new Error(compiled.error);
    // picomatch needs about 0.4 s for 60 characters here, and grows with the 8th power.
    expect(compiled.matches(`x/${"a".repeat(5_000)}`)).toBe(false);
    expect(compiled.matches(`x/${"a".repeat(5_000)}b`)).toBe(true);
  });

  it("refuses what it does not support, with the reason", () => {
    expect(compileGlob("!src/**")).toEqual({
      ok: false,
      error: "a negated glob (`!…`) is not supported",
    });
    expect(compileGlob("+(a|b).ts")).toMatchObject({ ok: false });
    expect(compileGlob("src/{a,b")).toEqual({ ok: false, error: "unclosed `{` at character 5" });
    expect(compileGlob("src/[ab")).toEqual({ ok: false, error: "unclosed `[` at character 5" });
  });
});
