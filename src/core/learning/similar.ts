import MiniSearch from "minisearch";
import type { TaskLine } from "./records.ts";

/**
 * Past tasks of a repository most like a new one, by their goals (a small local full-text index:
 * MiniSearch, fuzzy and prefix matching, no network) with a task of the same area ranked higher.
 */
export function similarTasks(
  tasks: readonly TaskLine[],
  query: { readonly goal: string; readonly area: string; readonly exclude?: string },
  limit = 5,
): TaskLine[] {
  const candidates = tasks.filter((t) => t.goal.trim() && t.task !== query.exclude);
  if (candidates.length === 0 || !query.goal.trim()) return [];
  const index = new MiniSearch<TaskLine>({ idField: "task", fields: ["goal", "area"] });
  index.addAll(candidates);
  const byId = new Map(candidates.map((t) => [t.task, t]));
  return index
    .search(`${query.goal} ${query.area}`, {
      fuzzy: 0.2,
      prefix: true,
      boost: { goal: 2 },
      combineWith: "OR",
    })
    .slice(0, limit)
    .flatMap((hit) => {
      const t = byId.get(String(hit.id));
      return t ? [t] : [];
    });
}

/** Past tasks as the planner reads them (data): what each was, how it ended, who did it, what stopped it. */
export function similarTasksText(tasks: readonly TaskLine[]): string {
  if (tasks.length === 0) return "(no similar task has finished in this repository yet)";
  return tasks
    .map((t) => {
      const implementer = t.models.implementer?.model ?? "?";
      const how = [
        t.outcome.replace(/_/g, " "),
        `implemented by ${implementer}`,
        t.code_review_first_pass ? "approved at first review" : "its steps needed changes",
        t.quality_gate_first_pass ? "CI green at once" : "CI red at first",
        t.error ? `stopped once for ${t.error.type.replace(/_/g, " ")}` : "",
        t.merged === true ? "merged" : t.merged === false ? "closed unmerged" : "",
      ].filter(Boolean);
      return `- "${t.goal}" (${t.area}, ${t.risk} risk, $${t.costUsd.toFixed(2)}): ${how.join("; ")}`;
    })
    .join("\n");
}
