import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readRecords, type CallLine } from "../../src/core/learning/records.ts";
import { renderDashboard } from "../../src/core/report/dashboard.ts";
import {
  codeBlocks,
  headings,
  lists,
  mermaidErrors,
  tableShapeErrors,
  tables,
} from "../fakes/gfm.ts";
import { taskLine } from "../fakes/records.ts";

const v2 = readFileSync(
  new URL("../fixtures/records/historical/v2.jsonl", import.meta.url),
  "utf8",
);
const NOW = "2026-11-30T00:00:00.000Z";

describe("DASHBOARD.md", () => {
  it("answers the seeds' questions with tables and Mermaid charts a GFM renderer finds", () => {
    const md = renderDashboard(readRecords([v2]), NOW);
    expect(headings(md)[0]).toEqual({ depth: 1, text: "orchestrator dashboard" });
    expect(md).toMatch(
      /^# orchestrator dashboard\n\n_Regenerated from `records\/` after each finished task; 1 task\(s\), 17 model call\(s\), as of 2026-11-30\._/,
    );
    const [summary] = lists(md);
    expect(summary?.items[0]).toMatch(
      /^Most often needs fixes: anthropic\/claude-sonnet-5-5 as implementer \(\d+ % approved at first review\)$/,
    );
    expect(summary?.items.slice(1)).toEqual([
      "A task costs – at low risk, $0.1187 at medium, – at high (mean).",
      "Quality over time: not enough months yet.",
    ]);
    const [models, efforts, reviewers, areas] = tables(md);
    expect(tables(md)).toHaveLength(4);
    expect(efforts?.header).toEqual([
      "role",
      "model",
      "effort",
      "tasks",
      "calls",
      "success",
      "cost per task",
    ]);
    expect(models?.header).toHaveLength(11);
    expect(models?.rows).toContainEqual(
      expect.arrayContaining(["implementer", "anthropic/claude-sonnet-5-5", "1", "100 %"]),
    );
    expect(reviewers?.header[0]).toBe("reviewer");
    expect(areas?.rows).toEqual([["core", "medium", "1", "100 %", "$0.1187–$0.1187–$0.1187", "–"]]);
    expect(tableShapeErrors(md)).toEqual([]);
    const charts = codeBlocks(md).filter((c) => c.lang === "mermaid");
    expect(charts.map((c) => c.value.split("\n")[0])).toEqual([
      "xychart-beta",
      "xychart-beta",
      'pie title "Tasks by implementer"',
    ]);
    expect(charts[2]?.value).toBe(
      'pie title "Tasks by implementer"\n  "anthropic/claude-sonnet-5-5" : 1',
    );
    expect(mermaidErrors(md)).toEqual([]);
  });

  it("a hand-edited record cannot break a table, a chart or the page", () => {
    const hostile = 'x|y\n\n# heading `tick` [link](http://e) <b>b</b> $m$ "q" #9; a, b';
    const records = readRecords([v2]);
    const [call] = records.calls as [CallLine];
    const md = renderDashboard(
      {
        tasks: [
          ...records.tasks,
          taskLine({
            task: "2",
            finishedAt: hostile,
            error: { type: hostile, message: hostile, step: null },
            outcome: "failure",
          }),
        ],
        calls: [...records.calls, { ...call, key: "k2", at: `2026-${hostile}` }],
      },
      NOW,
    );
    expect(tableShapeErrors(md)).toEqual([]);
    expect(mermaidErrors(md)).toEqual([]);
    expect(tables(md)).toHaveLength(4);
    // The stop reason shows as the characters it holds, in its own cell.
    expect(tables(md)[3]?.rows.map((r) => r.at(-1))).toContainEqual(
      `${hostile.replace(/\n+/g, " ")} (1)`,
    );
    expect(headings(md).map((h) => h.depth)).toEqual([1, 2, 2, 2, 2, 2, 2, 2, 2]);
    expect(lists(md)[0]?.items[2]).toBe(
      "Quality over time: success went from 100 % (2026-11) to 0 % (x|y # ).",
    );
  });

  it("shows success and cost per effort level of each role's calls", () => {
    const v5 = readFileSync(
      new URL("../fixtures/records/historical/v5.jsonl", import.meta.url),
      "utf8",
    );
    const md = renderDashboard(readRecords([v5]), "2026-11-30T00:00:00.000Z");
    expect(md).toContain("## By effort");
    expect(md).toMatch(
      /\| implementer \| `anthropic\/claude-sonnet-5-5` \| low \| 1 \| \d+ \| 100 % \| \$\d+\.\d{4} \|/,
    );
    expect(md).toMatch(/\| planner \| `[^`]+` \| xhigh \| 1 \|/);
    // Calls before version 5 named no effort: the provider's default.
    expect(renderDashboard(readRecords([v2]), "2026-11-30T00:00:00.000Z")).toMatch(
      /\| implementer \| `anthropic\/claude-sonnet-5-5` \| – \| 1 \|/,
    );
  });

  it("an empty history says so instead of drawing empty charts", () => {
    const md = renderDashboard({ tasks: [], calls: [] }, NOW);
    expect(md).toContain("_No calls yet._");
    expect(codeBlocks(md)).toEqual([]);
    expect(tables(md).map((t) => t.rows.length)).toEqual([0, 0, 0, 0]);
  });
});
