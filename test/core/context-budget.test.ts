import { describe, expect, it } from "vitest";
import { contextBudget, fitContext } from "../../src/core/prompt/context-budget.ts";

const file = (path: string, tokens: number) => ({ path, body: path, tokens });

describe("the context budget", () => {
  it("drops the least relevant (last listed) files first, keeping the order of the rest", () => {
    const files = [file("a", 500), file("b", 300), file("c", 400), file("d", 100)];
    expect(fitContext(files, 2_000)).toEqual({ kept: files, dropped: [] });
    const fitted = fitContext(files, 850);
    expect(fitted.kept.map((f) => f.path)).toEqual(["a", "b"]);
    expect(fitted.dropped.map((f) => f.path)).toEqual(["c", "d"]);
    expect(fitContext(files, 100).kept).toEqual([]);
  });

  it("leaves the output allowance and a margin out of the window, and is capped", () => {
    expect(contextBudget({ contextWindow: 32_768, maxOutputTokens: 8_192 })).toBe(12_288);
    expect(contextBudget({ contextWindow: 1_000_000, maxOutputTokens: 8_192 })).toBe(16_000);
    expect(contextBudget({ contextWindow: 4_000, maxOutputTokens: 8_192 })).toBe(0);
  });
});
