import { z } from "zod";
import { type CallRecord } from "../cost/ledger.ts";
import { Role } from "../vocabulary/roles.ts";
import { Effort } from "../vocabulary/effort.ts";
import { Complexity, Risk } from "../vocabulary/task-class.ts";
import { checkedGreen } from "../plan/gate-result.ts";
import type { TaskDocument } from "../task/document.ts";
import { demandCategories } from "./demands.ts";

/**
 * Learning records, one JSON object per line in `records/<yyyy-mm>.jsonl` on the state branch
 * (locally `.orchestrator/records/`). Lines are only ever appended: a later outcome of a task
 * (a review round, its pull request merged or closed) appends a newer task line with the same
 * `task`, and readers keep the newest.
 *
 * Versions (add a line, an upgrade in `parseRecordLine` and a fixture under
 * test/fixtures/records/historical/ per version):
 * - 1: one line per paid call with the task's end state (no `v`, no `kind`).
 * - 2: `kind: "task"` lines (the task's outcome) and `kind: "call"` lines (each call's result).
 * - 3: task lines carry `goal` (its first line, at most 200 characters) for finding similar tasks.
 * - 4: task lines carry `survival`: of the lines a merged task added, how many were still there
 *   30 days after the merge (null until counted).
 * - 5: call lines carry `effort` (the level the request named, null: none), and each role of a
 *   task line the effort its model's calls named most (`models.<role>.effort`, absent: none).
 */
export const RECORDS_VERSION = 5;

/** The runners the CI extractors know, and `log` for any other. */
const TOOLS = [
  "vitest",
  "jest",
  "node:test",
  "pytest",
  "go test",
  "cargo test",
  "tsc",
  "eslint",
  "log",
] as const;

export const TaskOutcome = z.enum(["success", "partial", "failure", "human_required", "cancelled"]);
export type TaskOutcome = z.infer<typeof TaskOutcome>;

// What a record may hold where it is shown (dashboards, stats): a records file on the state
// branch can be edited by hand, so a line that does not fit is dropped, not displayed.
const Area = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/);
const ModelId = z.string().regex(/^[a-z0-9-]+\/[A-Za-z0-9._:-]+$/);
const Provider = z.string().regex(/^[a-z0-9-]+$/);
const Answered = z.strictObject({
  model: ModelId,
  provider: Provider,
  /** The effort its calls named most; absent: none (the provider's default). */
  effort: Effort.optional(),
});

/** Where a demand or a gate failure was: the step and the commit (ids only, never free text). */
const Where = {
  step: z
    .string()
    .regex(/^[A-Z]\d+$/)
    .nullable(),
  commit: z
    .string()
    .regex(/^[0-9a-f]{7,64}$/)
    .nullable(),
};

export const TaskLine = z.strictObject({
  v: z.literal(5),
  kind: z.literal("task"),
  task: z.string(),
  /** The task's goal, first line, at most 200 characters: untrusted text, shown only as data. */
  goal: z.string().max(200),
  area: Area,
  risk: Risk,
  complexity: Complexity,
  /** The model that answered most of each role's calls (fallbacks included). */
  models: z.partialRecord(Role, Answered),
  outcome: TaskOutcome,
  durationMs: z.number().nonnegative(),
  costUsd: z.number().nonnegative(),
  steps: z.number().int().nonnegative(),
  /** Implementations beyond each step's first, plan revisions and gate fixes. */
  retries: z.number().int().nonnegative(),
  escalations: z.number().int().nonnegative(),
  plan_review_passed: z.boolean(),
  plan_review_first_pass: z.boolean(),
  code_review_passed: z.boolean(),
  code_review_first_pass: z.boolean(),
  quality_gate_passed: z.boolean(),
  quality_gate_first_pass: z.boolean(),
  /** The last reason a person was asked, with its message's first line and the step. */
  error: z
    .strictObject({ type: z.string(), message: z.string(), step: z.string().nullable() })
    .nullable(),
  /** The pull request merged (true), closed unmerged (false), or neither yet (null). */
  merged: z.boolean().nullable(),
  /** Of the lines the merged task added, how many were still there 30 days later (null: not counted). */
  survival: z
    .strictObject({
      lines: z.number().int().nonnegative(),
      surviving: z.number().int().nonnegative(),
    })
    .nullable(),
  /** What the code reviewer asked for, as categories (never its words), with where. */
  demands: z
    .array(
      z.strictObject({
        category: z.string().regex(/^[a-z]+$/),
        ...Where,
      }),
    )
    .optional(),
  /** Checks that failed, with the runner whose failures their logs showed, and where. */
  gateFailures: z
    .array(
      z.strictObject({
        check: z.string().max(200),
        tool: z.enum(TOOLS),
        ...Where,
      }),
    )
    .optional(),
  startedAt: z.string(),
  finishedAt: z.string(),
});
export type TaskLine = z.infer<typeof TaskLine>;

export const CallResult = z.enum([
  /** The work this call produced (a plan, a step) was approved at its first review. */
  "approved_first_time",
  /** Its work needed changes (or was rejected) before it was approved. */
  "needed_changes",
  /** Its answer was not valid and a repair turn followed. */
  "invalid_output",
  /** A review or a turn of a tool loop: judged through the task and its reviews. */
  "answered",
]);
export type CallResult = z.infer<typeof CallResult>;

export const CallLine = z.strictObject({
  v: z.literal(5),
  kind: z.literal("call"),
  task: z.string(),
  key: z.string(),
  area: Area,
  risk: Risk,
  complexity: Complexity,
  role: Role,
  model: ModelId,
  provider: Provider,
  /** The effort level the request named; null: none (the provider's default). */
  effort: Effort.nullable(),
  prompt: z.string(),
  step: z.string().nullable(),
  tokens: z.strictObject({
    noCache: z.number().int().nonnegative(),
    cacheRead: z.number().int().nonnegative(),
    cacheWrite: z.number().int().nonnegative(),
    output: z.number().int().nonnegative(),
    reasoning: z.number().int().nonnegative(),
  }),
  costUsd: z.number().nonnegative(),
  latencyMs: z.number().nonnegative(),
  result: CallResult,
  /** For a code reviewer: its verdict. */
  verdict: z.string().nullable(),
  /** The task's first gate run passed (for the implementer's and fixer's calls). */
  gatePassedFirstTime: z.boolean(),
  fellBack: z.boolean(),
  retries: z.number().int().nonnegative(),
  at: z.string(),
});
export type CallLine = z.infer<typeof CallLine>;

export type RecordLine = TaskLine | CallLine;

/** How a finished task ended, for learning. */
export function taskOutcome(doc: TaskDocument): TaskOutcome {
  if (doc.state === "cancelled") return "cancelled";
  if (doc.state === "failed")
    return doc.history.some((h) => /^.+ answered \/reject/.test(h.message))
      ? "human_required"
      : "failure";
  const gate = doc.gate.results.at(-1);
  return checkedGreen(gate) && doc.escalations === 0 ? "success" : "partial";
}

/** The task line and the lines of calls not recorded before (`from` ledger entries were). */
export function recordLines(doc: TaskDocument, from = 0): RecordLine[] {
  return [taskLine(doc), ...doc.ledger.slice(from).map((call) => callLine(doc, call))];
}

function taskLine(doc: TaskDocument): TaskLine {
  const d = doc.definition;
  const reviews = doc.steps.filter((s) => s.reviews.length > 0);
  const escalated = [...doc.history]
    .reverse()
    .find((h) => h.message.startsWith("Human review required: "));
  const closed = doc.pullRequestClosed;
  return {
    v: 5,
    kind: "task",
    task: doc.id,
    goal: (d.goal.split("\n")[0] ?? "").trim().slice(0, 200),
    area: d.area,
    risk: d.risk,
    complexity: d.complexity,
    models: answeredBy(doc.ledger),
    outcome: taskOutcome(doc),
    durationMs: Math.max(0, Date.parse(doc.updatedAt) - Date.parse(doc.createdAt)),
    costUsd: Math.round(doc.ledger.reduce((s, c) => s + c.costUsd, 0) * 1e6) / 1e6,
    steps: doc.steps.length,
    retries:
      doc.steps.reduce((s, step) => s + Math.max(0, step.attempt - 1), 0) +
      doc.planRevisions +
      doc.gate.fixes,
    escalations: doc.escalations,
    plan_review_passed: doc.planReviews.some((r) => r.status === "approved"),
    plan_review_first_pass: doc.planReviews[0]?.status === "approved",
    code_review_passed:
      reviews.length > 0 && reviews.every((s) => s.reviews.at(-1)?.status === "approved"),
    code_review_first_pass:
      reviews.length > 0 && reviews.every((s) => s.reviews[0]?.status === "approved"),
    quality_gate_passed: checkedGreen(doc.gate.results.at(-1)),
    quality_gate_first_pass: checkedGreen(doc.gate.results[0]),
    error: escalated
      ? {
          type: escalated.message.slice("Human review required: ".length).replace(/ /g, "_"),
          message: (escalated.details?.[0] ?? "").split("\n")[0]?.slice(0, 200) ?? "",
          step: null,
        }
      : null,
    merged: closed ? closed.merged : null,
    survival: doc.survival
      ? { lines: doc.survival.lines, surviving: doc.survival.surviving }
      : null,
    demands: doc.steps.flatMap((step) =>
      step.reviews.flatMap((review, i) =>
        review.status === "approved"
          ? []
          : demandCategories(review.required_changes).map((category) => ({
              category,
              step: /^[A-Z]\d+$/.test(step.id) ? step.id : null,
              commit: step.commits[i] ?? null,
            })),
      ),
    ),
    gateFailures: doc.gate.results.flatMap((result) =>
      result.checks
        .filter((c) => !c.passed)
        .map((c) => ({
          check: c.name.slice(0, 200),
          tool: TOOLS.find((t) => t === c.tools?.[0]) ?? "log",
          step: null,
          commit: result.commit && /^[0-9a-f]{7,64}$/.test(result.commit) ? result.commit : null,
        })),
    ),
    startedAt: doc.createdAt,
    finishedAt: doc.updatedAt,
  };
}

/** The model that answered most calls of each role, with its provider and its most named effort. */
function answeredBy(ledger: readonly CallRecord[]): TaskLine["models"] {
  const counts = new Map<string, Map<string, number>>();
  const most = (tally: Map<string, number>): string =>
    [...tally.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "";
  for (const call of ledger) {
    const byModel = counts.get(call.role) ?? new Map<string, number>();
    byModel.set(call.model, (byModel.get(call.model) ?? 0) + 1);
    counts.set(call.role, byModel);
  }
  const models: TaskLine["models"] = {};
  for (const [role, byModel] of counts) {
    const model = most(byModel);
    const efforts = new Map<string, number>();
    for (const call of ledger)
      if (call.role === role && call.model === model) {
        const e = call.effort ?? "";
        efforts.set(e, (efforts.get(e) ?? 0) + 1);
      }
    const effort = Effort.safeParse(most(efforts)).data;
    models[role as Role] = {
      model,
      provider: model.split("/")[0] ?? "",
      ...(effort ? { effort } : {}),
    };
  }
  return models;
}

/** `<task>:<phase>:<step>:<attempt>:<kind>#<turn>` → its parts. */
function keyParts(key: string): { step: string | null; attempt: number; turn: number } {
  const [effect = "", turn = "0"] = key.split("#");
  const parts = effect.split(":");
  const step = parts.at(-3) ?? "-";
  return {
    step: step === "-" ? null : step,
    attempt: Number(parts.at(-2) ?? 1),
    turn: Number(turn),
  };
}

function callLine(doc: TaskDocument, call: CallRecord): CallLine {
  const { step, attempt, turn } = keyParts(call.key);
  const d = doc.definition;
  return {
    v: 5,
    kind: "call",
    task: doc.id,
    key: call.key,
    area: d.area,
    risk: d.risk,
    complexity: d.complexity,
    role: call.role,
    model: call.model,
    provider: call.model.split("/")[0] ?? "",
    effort: call.effort ?? null,
    prompt: call.prompt,
    step,
    tokens: tokensOf(call.usage),
    costUsd: call.costUsd,
    latencyMs: call.durationMs,
    result: callResult(doc, call, step, attempt, turn),
    verdict:
      call.role === "code_reviewer"
        ? (doc.steps.find((s) => s.id === step)?.reviews[attempt - 1]?.status ?? null)
        : call.role === "plan_reviewer"
          ? (doc.planReviews[attempt - 1]?.status ?? null)
          : null,
    gatePassedFirstTime:
      (call.role === "implementer" || call.role === "fixer") && checkedGreen(doc.gate.results[0]),
    fellBack: (call.fallback?.length ?? 0) > 0,
    retries: call.retries?.length ?? 0,
    at: call.at,
  };
}

function callResult(
  doc: TaskDocument,
  call: CallRecord,
  step: string | null,
  attempt: number,
  turn: number,
): CallResult {
  // A structured answer (plan, review) that needed a repair turn: its first turn was invalid.
  const structured =
    call.role === "planner" || call.role === "plan_reviewer" || call.role === "code_reviewer";
  const prefix = call.key.split("#")[0] ?? "";
  if (structured && turn === 0 && doc.ledger.some((c) => c.key === `${prefix}#1`))
    return "invalid_output";
  if (call.role === "planner") {
    const review = doc.planReviews[attempt - 1];
    if (!review) return "answered";
    return attempt === 1 && review.status === "approved" ? "approved_first_time" : "needed_changes";
  }
  if (call.role === "implementer" || call.role === "fixer") {
    const record = doc.steps.find((s) => s.id === step);
    const first = record?.reviews[0];
    if (!first) return "answered";
    return attempt === 1 && first.status === "approved" ? "approved_first_time" : "needed_changes";
  }
  return "answered";
}

/**
 * One line of a records file, of any released version, as the current version; null for a line
 * that is not a record (a partial write, a stray line): readers skip it rather than fail.
 */
export function parseRecordLine(text: string): RecordLine | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (raw === null || typeof raw !== "object") return null;
  const line = raw as Record<string, unknown>;
  if (line["v"] === undefined) return fromVersion1(line) ?? null;
  // A version-2 line is a version-3 line without a goal; a version-3 line is a version-4 line
  // whose lines were not counted; a version-4 line is a version-5 line whose calls named no
  // effort (there was none to name).
  const task = line["kind"] === "task";
  const v = line["v"];
  const current =
    v === 2 || v === 3 || v === 4
      ? {
          ...line,
          v: 5,
          ...(task && v === 2 ? { goal: "" } : {}),
          ...(task && v !== 4 ? { survival: null } : {}),
          ...(task ? {} : { effort: null }),
        }
      : line;
  const parsed =
    current["kind"] === "task"
      ? TaskLine.safeParse(current).data
      : CallLine.safeParse(current).data;
  return parsed ?? null;
}

/** A call's usage as a record's token counts. */
function tokensOf(usage: {
  readonly input: {
    readonly noCache: number;
    readonly cacheRead: number;
    readonly cacheWrite: number;
  };
  readonly output: number;
  readonly reasoning?: number | undefined;
}): CallLine["tokens"] {
  return {
    noCache: usage.input.noCache,
    cacheRead: usage.input.cacheRead,
    cacheWrite: usage.input.cacheWrite,
    output: usage.output,
    reasoning: usage.reasoning ?? 0,
  };
}

/** A version-1 line (a paid call with the task's end state) as a call line. */
function fromVersion1(line: Record<string, unknown>): CallLine | undefined {
  const v1 = z
    .object({
      task: z.string(),
      risk: Risk,
      area: Area,
      complexity: Complexity,
      role: Role,
      model: ModelId,
      prompt: z.string(),
      usage: z.object({
        input: z.object({ noCache: z.number(), cacheRead: z.number(), cacheWrite: z.number() }),
        output: z.number(),
        reasoning: z.number().optional(),
      }),
      costUsd: z.number(),
      durationMs: z.number(),
      at: z.string(),
    })
    .safeParse(line).data;
  if (!v1) return undefined;
  return {
    v: 5,
    kind: "call",
    task: v1.task,
    key: `${v1.task}:v1:${v1.at}`,
    area: v1.area,
    risk: v1.risk,
    complexity: v1.complexity,
    role: v1.role,
    model: v1.model,
    provider: v1.model.split("/")[0] ?? "",
    effort: null,
    prompt: v1.prompt,
    step: null,
    tokens: tokensOf(v1.usage),
    costUsd: v1.costUsd,
    latencyMs: v1.durationMs,
    result: "answered",
    verdict: null,
    gatePassedFirstTime: false,
    fellBack: false,
    retries: 0,
    at: v1.at,
  };
}

/** `records/<yyyy-mm>.jsonl`, by the month the task finished. */
export function recordsPath(doc: TaskDocument): string {
  return `records/${doc.updatedAt.slice(0, 7)}.jsonl`;
}

/** Every record of some files' text, the newest task line per task kept. */
export function readRecords(texts: readonly string[]): { tasks: TaskLine[]; calls: CallLine[] } {
  const tasks = new Map<string, TaskLine>();
  const calls = new Map<string, CallLine>();
  for (const text of texts)
    for (const raw of text.split("\n")) {
      const line = raw.trim() ? parseRecordLine(raw) : null;
      if (!line) continue;
      if (line.kind === "task") {
        const known = tasks.get(line.task);
        if (!known || known.finishedAt <= line.finishedAt) tasks.set(line.task, line);
      } else calls.set(`${line.task} ${line.key}`, line);
    }
  return { tasks: [...tasks.values()], calls: [...calls.values()] };
}
