import type { Role } from "../vocabulary/roles.ts";
import {
  modelStats,
  reviewerCalibration,
  taskPatterns,
  type Records,
} from "../learning/analytics.ts";
import { inlineCode, mermaidLabel, table } from "./format.ts";
import { inlineText } from "../text/inline-markdown.ts";

const pct = (x: number | null): string => (x === null ? "–" : `${Math.round(x * 100)} %`);
const usd = (x: number | null): string => (x === null ? "–" : `$${x.toFixed(4)}`);
const ROLES: readonly Role[] = [
  "planner",
  "plan_reviewer",
  "implementer",
  "code_reviewer",
  "fixer",
];

/**
 * `DASHBOARD.md`: what the records of a repository say, as tables and Mermaid charts GitHub
 * renders. Text from records (model names, areas, error types, dates: a hand-edited record may
 * hold anything) goes through `inlineText`/`inlineCode` in tables and sentences and
 * `mermaidLabel` in charts, so no record can break a table, a chart or the page.
 */
export function renderDashboard(records: Records, now: string): string {
  const w = { now };
  const stats = modelStats(records, w);
  const days = new Map<string, number>();
  for (const c of records.calls)
    days.set(c.at.slice(0, 10), (days.get(c.at.slice(0, 10)) ?? 0) + c.costUsd);
  const recent = [...days.entries()].sort(([a], [b]) => a.localeCompare(b)).slice(-30);
  const share = new Map<string, number>();
  for (const t of records.tasks) {
    const m = t.models.implementer?.model;
    if (m) share.set(m, (share.get(m) ?? 0) + 1);
  }
  const months = new Map<string, { tasks: number; wins: number }>();
  for (const t of records.tasks) {
    const month = t.finishedAt.slice(0, 7);
    const m = months.get(month) ?? { tasks: 0, wins: 0 };
    months.set(month, { tasks: m.tasks + 1, wins: m.wins + (t.outcome === "success" ? 1 : 0) });
  }
  const implementers = stats.filter((s) => s.role === "implementer" && s.success.rate !== null);
  const patterns = taskPatterns(records, w).sort(
    (a, b) => a.area.localeCompare(b.area) || a.risk.localeCompare(b.risk),
  );
  const needsFixes = [...stats]
    .filter(
      (s) => (s.role === "implementer" || s.role === "fixer") && s.firstPassReview.rate !== null,
    )
    .sort((a, b) => (a.firstPassReview.rate ?? 1) - (b.firstPassReview.rate ?? 1))[0];
  const byRisk = (risk: string): number | null => {
    const ts = records.tasks.filter((t) => t.risk === risk);
    return ts.length > 0 ? ts.reduce((s, t) => s + t.costUsd, 0) / ts.length : null;
  };
  const trend = [...months.entries()].sort(([a], [b]) => a.localeCompare(b));
  const [first, last] = [trend[0]?.[1], trend.at(-1)?.[1]];
  const improving =
    first && last && trend.length > 1
      ? `success went from ${pct(first.wins / first.tasks)} (${inlineText(trend[0]?.[0] ?? "")}) to ${pct(last.wins / last.tasks)} (${inlineText(trend.at(-1)?.[0] ?? "")})`
      : "not enough months yet";
  return [
    "# orchestrator dashboard",
    `_Regenerated from \`records/\` after each finished task; ${records.tasks.length} task(s), ${records.calls.length} model call(s), as of ${now.slice(0, 10)}._`,
    "## In short",
    [
      `- Most often needs fixes: ${needsFixes ? `${inlineCode(needsFixes.model)} as ${needsFixes.role} (${pct(needsFixes.firstPassReview.rate)} approved at first review)` : "–"}`,
      `- A task costs ${usd(byRisk("low"))} at low risk, ${usd(byRisk("medium"))} at medium, ${usd(byRisk("high"))} at high (mean).`,
      `- Quality over time: ${improving}.`,
    ].join("\n"),
    "## Cost per day",
    recent.length > 0
      ? `\`\`\`mermaid\nxychart-beta\n  title "Model spend per day (USD)"\n  x-axis [${recent.map(([d]) => mermaidLabel(d.slice(5))).join(", ")}]\n  y-axis "USD"\n  bar [${recent.map(([, c]) => c.toFixed(4)).join(", ")}]\n\`\`\``
      : "_No calls yet._",
    "## Success per implementer",
    implementers.length > 0
      ? `\`\`\`mermaid\nxychart-beta\n  title "Tasks that succeeded (%)"\n  x-axis [${implementers.map((s) => mermaidLabel(s.model)).join(", ")}]\n  y-axis "%" 0 --> 100\n  bar [${implementers.map((s) => Math.round((s.success.rate ?? 0) * 100)).join(", ")}]\n\`\`\``
      : "_No tasks yet._",
    "## Routing share (implementer)",
    share.size > 0
      ? `\`\`\`mermaid\npie title "Tasks by implementer"\n${[...share.entries()].map(([m, n]) => `  ${mermaidLabel(m)} : ${n}`).join("\n")}\n\`\`\``
      : "_No tasks yet._",
    "## Models by role",
    table(
      [
        "role",
        "model",
        "tasks",
        "success",
        "first-pass review",
        "first-pass gate",
        "malformed",
        "fell back",
        "merged",
        "lines kept 30 days",
        "cost per task",
      ],
      ROLES.flatMap((role) =>
        stats
          .filter((s) => s.role === role)
          .map((s) => [
            role,
            inlineCode(s.model),
            String(s.tasks),
            pct(s.success.rate),
            pct(s.firstPassReview.rate),
            pct(s.firstPassGate.rate),
            pct(s.malformed.rate),
            pct(s.fallback.rate),
            pct(s.merged.rate),
            pct(s.linesKept.rate),
            usd(s.costPerTask),
          ]),
      ),
    ),
    "## By effort",
    "_Each role's calls by the effort level they named (– : none, the provider's default): success of the tasks they served, and what they cost per task, reasoning tokens included._",
    table(
      ["role", "model", "effort", "tasks", "calls", "success", "cost per task"],
      ROLES.flatMap((role) =>
        modelStats(records, w, { byEffort: true })
          .filter((s) => s.role === role)
          .sort(
            (a, b) =>
              a.model.localeCompare(b.model) || (a.effort ?? "").localeCompare(b.effort ?? ""),
          )
          .map((s) => [
            role,
            inlineCode(s.model),
            s.effort === undefined || s.effort === null ? "–" : inlineText(s.effort),
            String(s.tasks),
            String(s.calls),
            pct(s.success.rate),
            usd(s.costPerTask),
          ]),
      ),
    ),
    "## Reviewers",
    table(
      [
        "reviewer",
        "reviews",
        "approves",
        "misses (approved, then CI or a person said no)",
        "change requests kept",
      ],
      reviewerCalibration(records, w).map((c) => [
        `${inlineCode(c.model)}${c.rubberStamp ? " ⚠ approves nearly everything" : ""}`,
        String(c.reviews),
        pct(c.approval.rate),
        pct(c.misses.rate),
        pct(c.changesKept.rate),
      ]),
    ),
    "## Tasks by area and risk",
    table(
      ["area", "risk", "tasks", "success", "cost (min–median–max)", "most common stop"],
      patterns.map((p) => [
        inlineText(p.area),
        inlineText(p.risk),
        String(p.tasks),
        pct(p.success.rate),
        `${usd(p.cost.min)}–${usd(p.cost.median)}–${usd(p.cost.max)}`,
        p.errors[0] ? `${inlineText(p.errors[0].type)} (${p.errors[0].count})` : "–",
      ]),
    ),
  ].join("\n\n");
}
