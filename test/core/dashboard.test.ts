import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readRecords } from "../../src/core/learning/records.ts";
import { renderDashboard } from "../../src/core/report/dashboard.ts";

const v2 = readFileSync(
  new URL("../fixtures/records/historical/v2.jsonl", import.meta.url),
  "utf8",
);

describe("DASHBOARD.md", () => {
  it("answers the seeds' questions with tables and Mermaid charts GitHub renders", () => {
    const md = renderDashboard(readRecords([v2]), "2026-11-30T00:00:00.000Z");
    expect(md).toMatch(
      /^# orchestrator dashboard\n\n_Regenerated from `records\/` after each finished task; 1 task\(s\), 17 model call\(s\), as of 2026-11-30\._/,
    );
    expect(md).toMatch(
      /- Most often needs fixes: anthropic\/claude-sonnet-5-5 as implementer \(\d+ % approved at first review\)/,
    );
    expect(md).toMatch(/- A task costs – at low risk, \$0\.1187 at medium, – at high \(mean\)\./);
    expect(md).toContain("- Quality over time: not enough months yet.");
    expect(md).toContain('```mermaid\nxychart-beta\n  title "Model spend per day (USD)"');
    expect(md).toContain(
      '```mermaid\npie title "Tasks by implementer"\n  "anthropic/claude-sonnet-5-5" : 1\n```',
    );
    expect(md).toContain("| implementer | `anthropic/claude-sonnet-5-5` | 1 | 100 % |");
    expect(md).toContain("| core | medium | 1 | 100 % | $0.1187–$0.1187–$0.1187 | – |");
    // Every Mermaid block is closed.
    expect((md.match(/```/g) ?? []).length % 2).toBe(0);
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
    const md = renderDashboard({ tasks: [], calls: [] }, "2026-11-30T00:00:00.000Z");
    expect(md).toContain("_No calls yet._");
    expect(md).not.toContain("```mermaid");
  });
});
