import { inlineText } from "../text/inline-markdown.ts";
import { DEMANDS } from "./demands.ts";
import type { TaskLine } from "./records.ts";

/** A check name as it may be shown: CI config names it, so anything unusual is not repeated. */
export function safeCheckName(name: string): string {
  return /^[A-Za-z0-9 _./()-]{1,60}$/.test(name) ? name : "a check";
}

const MAX_ITEMS = 8;
const MAX_SOURCES = 3;

/**
 * `knowledge.md`: the repository's recurring reviewer demands and CI failure causes, counted over
 * its finished tasks, each with where it was seen (task, step, commit). Bounded; only our own
 * words, categories, tool names and safe check names; a task id (a hand-edited record may hold
 * anything there) is escaped so it stays text in its list item. Given to the planner and the implementer
 * as data.
 */
export function renderKnowledge(tasks: readonly TaskLine[]): string {
  const demands = new Map<string, { count: number; sources: string[] }>();
  const failures = new Map<string, { count: number; sources: string[] }>();
  const newestFirst = [...tasks].sort((a, b) => b.finishedAt.localeCompare(a.finishedAt));
  for (const t of newestFirst) {
    for (const d of t.demands ?? []) {
      const e = demands.get(d.category) ?? { count: 0, sources: [] };
      e.count += 1;
      if (e.sources.length < MAX_SOURCES) e.sources.push(source(t.task, d.step, d.commit));
      demands.set(d.category, e);
    }
    for (const f of t.gateFailures ?? []) {
      const key = `\`${safeCheckName(f.check)}\` failed (${f.tool === "log" ? "error lines in its log" : `${f.tool} failures`})`;
      const e = failures.get(key) ?? { count: 0, sources: [] };
      e.count += 1;
      if (e.sources.length < MAX_SOURCES) e.sources.push(source(t.task, f.step, f.commit));
      failures.set(key, e);
    }
  }
  const list = (
    entries: Map<string, { count: number; sources: string[] }>,
    label: (k: string) => string,
  ): string =>
    [...entries.entries()]
      .filter(([, e]) => e.count >= 2)
      .sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]))
      .slice(0, MAX_ITEMS)
      .map(([k, e]) => `- ${label(k)}: ${e.count} times (${e.sources.join("; ")})`)
      .join("\n") || "- nothing that came back twice yet";
  return [
    "# What this repository's reviews and CI keep asking for",
    `_Counted over ${tasks.length} finished task(s); regenerated after each one. Items seen at least twice, newest sources first._`,
    "## Reviewers asked for",
    list(demands, (k) => DEMANDS.find((d) => d.category === k)?.label ?? k),
    "## CI failed because",
    list(failures, (k) => k),
  ].join("\n\n");
}

function source(task: string, step: string | null, commit: string | null): string {
  return `task ${inlineText(task)}${step ? ` ${step}` : ""}${commit ? ` at ${commit.slice(0, 7)}` : ""}`;
}
