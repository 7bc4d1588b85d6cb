import type { Role } from "../vocabulary/roles.ts";
import type { CallLine, TaskLine } from "./records.ts";

/** Which records count, and how much: a window of days before `now`, and a half-life for older ones. */
export interface Window {
  /** ISO time the analysis is made at (analytics read no clock). */
  readonly now: string;
  /** Records older than this many days are left out; undefined: all. */
  readonly days?: number;
  /** A record this many days old counts half; undefined: no decay. */
  readonly halfLifeDays?: number;
}

export interface Records {
  readonly tasks: readonly TaskLine[];
  readonly calls: readonly CallLine[];
}

const DAY = 86_400_000;

/** The weight of a record made at `at`: 0 outside the window, halved every half-life. */
export function weightAt(at: string, w: Window): number {
  const age = (Date.parse(w.now) - Date.parse(at)) / DAY;
  if (w.days !== undefined && age > w.days) return 0;
  return w.halfLifeDays === undefined ? 1 : 0.5 ** (Math.max(0, age) / w.halfLifeDays);
}

/** A rate with how much it rests on: weighted successes over weighted trials, and the raw count. */
export interface Rate {
  readonly rate: number | null;
  readonly n: number;
}

function rate(pairs: readonly { weight: number; hit: boolean }[]): Rate {
  const total = pairs.reduce((s, p) => s + p.weight, 0);
  const hits = pairs.reduce((s, p) => s + (p.hit ? p.weight : 0), 0);
  return { rate: total > 0 ? hits / total : null, n: pairs.filter((p) => p.weight > 0).length };
}

/** Surviving lines over added lines, weighted by each task's weight; n is the tasks counted. */
function linesKept(tasks: readonly { weight: number; task?: TaskLine | undefined }[]): Rate {
  const counted = tasks.filter((s) => s.weight > 0 && s.task?.survival);
  const lines = counted.reduce((x, s) => x + s.weight * (s.task?.survival?.lines ?? 0), 0);
  const kept = counted.reduce((x, s) => x + s.weight * (s.task?.survival?.surviving ?? 0), 0);
  return { rate: lines > 0 ? kept / lines : null, n: counted.length };
}

function mean(values: readonly { weight: number; value: number }[]): number | null {
  const total = values.reduce((s, v) => s + v.weight, 0);
  return total > 0 ? values.reduce((s, v) => s + v.weight * v.value, 0) / total : null;
}

/** How one model did in one role. */
export interface ModelRoleStats {
  readonly model: string;
  readonly role: Role;
  /** With `byEffort`: the effort its calls named (null: none, the provider's default). */
  readonly effort?: string | null;
  readonly tasks: number;
  readonly calls: number;
  /** Tasks it served in this role that ended in success. */
  readonly success: Rate;
  /** Its cost in this role per task, and its time (sum of call latencies) per task. */
  readonly costPerTask: number | null;
  readonly durationMsPerTask: number | null;
  /** Its work (plans, steps) approved at the first review. */
  readonly firstPassReview: Rate;
  /** Tasks whose first gate run passed, among those it implemented. */
  readonly firstPassGate: Rate;
  /** Its answers that needed a repair turn. */
  readonly malformed: Rate;
  /** Its calls that were answered by it only after another model failed. */
  readonly fallback: Rate;
  /** Tasks whose pull request was merged, among those decided. */
  readonly merged: Rate;
  /** Of the lines its merged tasks added, the share still there 30 days after the merge. */
  readonly linesKept: Rate;
}

/** Per model and role (and, with `byEffort`, per effort level its calls named), over the window. */
export function modelStats(
  records: Records,
  w: Window,
  options: { readonly byEffort?: boolean } = {},
): ModelRoleStats[] {
  const tasks = new Map(records.tasks.map((t) => [t.task, t]));
  const groups = Map.groupBy(
    records.calls.filter((call) => weightAt(call.at, w) > 0),
    (call) =>
      `${call.role}\u0000${call.model}${options.byEffort ? `\u0000${call.effort ?? ""}` : ""}`,
  );
  return [...groups.values()].map((calls) => {
    const first = calls[0] as CallLine;
    const byTask = Map.groupBy(calls, (c) => c.task);
    const served = [...byTask.entries()].map(([id, cs]) => ({
      task: tasks.get(id),
      calls: cs,
      weight: weightAt(cs[0]?.at ?? w.now, w),
    }));
    const judged = calls.filter(
      (c) => c.result === "approved_first_time" || c.result === "needed_changes",
    );
    const withTask = served.filter((s) => s.task !== undefined);
    return {
      model: first.model,
      role: first.role,
      ...(options.byEffort ? { effort: first.effort } : {}),
      tasks: byTask.size,
      calls: calls.length,
      success: rate(
        withTask.map((s) => ({ weight: s.weight, hit: s.task?.outcome === "success" })),
      ),
      costPerTask: mean(
        served.map((s) => ({
          weight: s.weight,
          value: s.calls.reduce((x, c) => x + c.costUsd, 0),
        })),
      ),
      durationMsPerTask: mean(
        served.map((s) => ({
          weight: s.weight,
          value: s.calls.reduce((x, c) => x + c.latencyMs, 0),
        })),
      ),
      firstPassReview: rate(
        judged.map((c) => ({ weight: weightAt(c.at, w), hit: c.result === "approved_first_time" })),
      ),
      firstPassGate: rate(
        first.role === "implementer" || first.role === "fixer"
          ? withTask.map((s) => ({
              weight: s.weight,
              hit: s.task?.quality_gate_first_pass === true,
            }))
          : [],
      ),
      malformed: rate(
        calls.map((c) => ({ weight: weightAt(c.at, w), hit: c.result === "invalid_output" })),
      ),
      fallback: rate(calls.map((c) => ({ weight: weightAt(c.at, w), hit: c.fellBack }))),
      merged: rate(
        withTask
          .filter((s) => s.task?.merged !== null)
          .map((s) => ({ weight: s.weight, hit: s.task?.merged === true })),
      ),
      linesKept: linesKept(withTask),
    };
  });
}

export const METRICS = [
  "success",
  "firstPassReview",
  "firstPassGate",
  "merged",
  "cost",
  "malformed",
] as const;
export type Metric = (typeof METRICS)[number];

/** Models of a role ranked by a metric (best first; cheapest first for cost), those with at least `minSamples`. */
export function rankModels(
  stats: readonly ModelRoleStats[],
  role: Role,
  metric: Metric,
  minSamples = 1,
): ModelRoleStats[] {
  const value = (s: ModelRoleStats): number | null =>
    metric === "cost" ? s.costPerTask : metric === "malformed" ? s.malformed.rate : s[metric].rate;
  const ascending = metric === "cost" || metric === "malformed";
  return stats
    .filter((s) => s.role === role && s.tasks >= minSamples && value(s) !== null)
    .sort(
      (a, b) =>
        ((value(a) ?? 0) - (value(b) ?? 0)) * (ascending ? 1 : -1) ||
        a.model.localeCompare(b.model),
    );
}

/** How far a code reviewer's verdicts can be trusted. */
export interface ReviewerCalibration {
  readonly model: string;
  readonly reviews: number;
  /** Share of its verdicts that approved. */
  readonly approval: Rate;
  /**
   * Approved work that was not right: a plan step whose task's first gate run then failed or
   * that a person's review sent back; a gate fix after which the gate was still red.
   */
  readonly misses: Rate;
  /** Its change requests after which the step was approved (the changes were made and kept). */
  readonly changesKept: Rate;
  /** Approves nearly everything (≥ 95 % of at least 10 reviews): its approvals say little. */
  readonly rubberStamp: boolean;
}

export function reviewerCalibration(records: Records, w: Window): ReviewerCalibration[] {
  const tasks = new Map(records.tasks.map((t) => [t.task, t]));
  const reviews = records.calls.filter(
    (c) => c.role === "code_reviewer" && c.verdict !== null && weightAt(c.at, w) > 0,
  );
  const byModel = Map.groupBy(reviews, (r) => r.model);
  // Tasks a person's review sent back for a round (its fix steps are R1, R2, …).
  const roundTasks = new Set(
    records.calls.filter((c) => c.step !== null && /^R\d+$/.test(c.step)).map((c) => c.task),
  );
  const humanRound = (task: string): boolean => roundTasks.has(task);
  // Each task's last gate fix (F1, F2, …): a gate run follows every fix, so a fix followed by
  // another one left the gate red.
  const lastFix = new Map<string, number>();
  for (const c of records.calls) {
    const fix = /^F(\d+)$/.exec(c.step ?? "");
    if (fix) lastFix.set(c.task, Math.max(lastFix.get(c.task) ?? 0, Number(fix[1])));
  }
  // A reviewer is judged by the work it was shown: a plan step by the first gate run and a
  // person's review of the pull request; a fix by the gate run right after it.
  const missed = (r: CallLine): boolean => {
    const task = tasks.get(r.task);
    const fix = /^F(\d+)$/.exec(r.step ?? "");
    if (fix)
      return Number(fix[1]) < (lastFix.get(r.task) ?? 0) || task?.quality_gate_passed === false;
    return task?.quality_gate_first_pass === false || humanRound(r.task);
  };
  return [...byModel.entries()].map(([model, rs]) => {
    const approval = rate(
      rs.map((r) => ({ weight: weightAt(r.at, w), hit: r.verdict === "approved" })),
    );
    const approved = rs.filter((r) => r.verdict === "approved" && !/^R\d+$/.test(r.step ?? ""));
    const asked = rs.filter((r) => r.verdict === "needs_changes");
    return {
      model,
      reviews: rs.length,
      approval,
      misses: rate(approved.map((r) => ({ weight: weightAt(r.at, w), hit: missed(r) }))),
      changesKept: rate(
        asked.map((r) => ({
          weight: weightAt(r.at, w),
          hit: rs.some(
            (o) =>
              o.task === r.task && o.step === r.step && o.verdict === "approved" && o.at >= r.at,
          ),
        })),
      ),
      rubberStamp: rs.length >= 10 && (approval.rate ?? 0) >= 0.95,
    };
  });
}

/** Tasks of one area and risk: how they went. */
export interface TaskPattern {
  readonly area: string;
  readonly risk: string;
  readonly tasks: number;
  readonly success: Rate;
  readonly cost: { readonly min: number; readonly median: number; readonly max: number };
  readonly durationMs: { readonly min: number; readonly median: number; readonly max: number };
  /** Escalation reasons, most common first. */
  readonly errors: readonly { readonly type: string; readonly count: number }[];
  /** Per role, the model with the best success in this class (at least 2 tasks). */
  readonly best: Partial<Record<Role, string>>;
}

function spread(values: readonly number[]): { min: number; median: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median =
    sorted.length === 0
      ? 0
      : sorted.length % 2
        ? (sorted[Math.floor(mid)] ?? 0)
        : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return { min: sorted[0] ?? 0, median, max: sorted.at(-1) ?? 0 };
}

export function taskPatterns(records: Records, w: Window): TaskPattern[] {
  const groups = Map.groupBy(
    records.tasks.filter((t) => weightAt(t.finishedAt, w) > 0),
    (t) => `${t.area}\u0000${t.risk}`,
  );
  return [...groups.values()].map((ts) => {
    const errors = new Map<string, number>();
    for (const t of ts) if (t.error) errors.set(t.error.type, (errors.get(t.error.type) ?? 0) + 1);
    const best: Partial<Record<Role, string>> = {};
    const roles = new Set(ts.flatMap((t) => Object.keys(t.models) as Role[]));
    for (const role of roles) {
      const byModel = Map.groupBy(
        ts.filter((t) => t.models[role]),
        (t) => t.models[role]?.model ?? "",
      );
      const ranked = [...byModel.entries()]
        .filter(([, mts]) => mts.length >= 2)
        .map(([m, mts]) => ({
          m,
          r: mts.filter((t) => t.outcome === "success").length / mts.length,
        }))
        .sort((a, b) => b.r - a.r || a.m.localeCompare(b.m));
      if (ranked[0]) best[role] = ranked[0].m;
    }
    const first = ts[0] as TaskLine;
    return {
      area: first.area,
      risk: first.risk,
      tasks: ts.length,
      success: rate(
        ts.map((t) => ({ weight: weightAt(t.finishedAt, w), hit: t.outcome === "success" })),
      ),
      cost: spread(ts.map((t) => t.costUsd)),
      durationMs: spread(ts.map((t) => t.durationMs)),
      errors: [...errors.entries()]
        .map(([type, count]) => ({ type, count }))
        .sort((a, b) => b.count - a.count),
      best,
    };
  });
}

/** Wilson score interval of a proportion (95 % by default): honest for small samples. */
export function wilson(successes: number, n: number, z = 1.96): { low: number; high: number } {
  if (n === 0) return { low: 0, high: 1 };
  const p = successes / n;
  const denominator = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** A cheaper model whose success in a class of tasks is close enough to the one used now. */
export interface Opportunity {
  readonly role: Role;
  readonly area: string;
  readonly risk: string;
  readonly current: string;
  readonly cheaper: string;
  readonly savingPerTaskUsd: number;
  readonly currentSuccess: number;
  readonly cheaperSuccess: number;
  /** 95 % interval of the cheaper model's success. */
  readonly interval: { readonly low: number; readonly high: number };
  readonly samples: { readonly current: number; readonly cheaper: number };
  readonly text: string;
}

/**
 * For each role and class of tasks (area × risk): a cheaper model whose success rate's 95 % lower
 * bound is within `tolerance` of the most used model's success, each with at least `minSamples`
 * tasks. Largest saving first.
 */
export function opportunities(
  records: Records,
  w: Window,
  options: { readonly tolerance?: number; readonly minSamples?: number } = {},
): Opportunity[] {
  const tolerance = options.tolerance ?? 0.05;
  const minSamples = options.minSamples ?? 10;
  const calls = records.calls.filter((c) => weightAt(c.at, w) > 0);
  const found: Opportunity[] = [];
  for (const t0 of taskPatterns(records, w)) {
    const inClass = records.tasks.filter(
      (t) => t.area === t0.area && t.risk === t0.risk && weightAt(t.finishedAt, w) > 0,
    );
    const roles = new Set(inClass.flatMap((t) => Object.keys(t.models) as Role[]));
    for (const role of roles) {
      const byModel = new Map<string, { tasks: TaskLine[]; cost: number }>();
      for (const t of inClass) {
        const m = t.models[role]?.model;
        if (!m) continue;
        const cost = calls
          .filter((c) => c.task === t.task && c.role === role)
          .reduce((s, c) => s + c.costUsd, 0);
        const entry = byModel.get(m) ?? { tasks: [], cost: 0 };
        byModel.set(m, { tasks: [...entry.tasks, t], cost: entry.cost + cost });
      }
      const models = [...byModel.entries()]
        .filter(([, e]) => e.tasks.length >= minSamples)
        .map(([model, e]) => ({
          model,
          n: e.tasks.length,
          wins: e.tasks.filter((t) => t.outcome === "success").length,
          costPerTask: e.cost / e.tasks.length,
        }));
      const current = [...models].sort((a, b) => b.n - a.n || a.model.localeCompare(b.model))[0];
      if (!current) continue;
      const currentSuccess = current.wins / current.n;
      for (const m of models) {
        if (m.model === current.model || m.costPerTask >= current.costPerTask) continue;
        const interval = wilson(m.wins, m.n);
        if (interval.low < currentSuccess - tolerance) continue;
        const saving = current.costPerTask - m.costPerTask;
        found.push({
          role,
          area: t0.area,
          risk: t0.risk,
          current: current.model,
          cheaper: m.model,
          savingPerTaskUsd: saving,
          currentSuccess,
          cheaperSuccess: m.wins / m.n,
          interval,
          samples: { current: current.n, cheaper: m.n },
          text: `save $${saving.toFixed(4)} per task by using ${m.model} for the ${role} on ${t0.risk}-risk ${t0.area} tasks (success ${pct(m.wins / m.n)} vs ${pct(currentSuccess)} with ${current.model}; 95 % CI ${pct(interval.low)}–${pct(interval.high)}; ${m.n} and ${current.n} tasks)`,
        });
      }
    }
  }
  return found.sort((a, b) => b.savingPerTaskUsd - a.savingPerTaskUsd);
}

function pct(x: number): string {
  return `${Math.round(x * 100)} %`;
}
