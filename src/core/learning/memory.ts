import { armModel, isLevelArm, levelArm } from "./arms.ts";
import type { Effort } from "../vocabulary/effort.ts";
import type { Role } from "../vocabulary/roles.ts";
import type { Risk } from "../vocabulary/task-class.ts";
import { weightAt, type Records, type Window } from "./analytics.ts";
import type { CallLine, TaskLine } from "./records.ts";

/** Outcomes of a model, weighted (a decayed count). */
export interface Evidence {
  readonly successes: number;
  readonly failures: number;
}

/** What the records say about one arm for one decision (one role, one class of tasks). */
export interface ArmEvidence {
  /** This repository's outcomes in the task's class. */
  readonly inClass: Evidence;
  /** This repository's outcomes in its other classes. */
  readonly elsewhere: Evidence;
  /** The installation's other repositories' outcomes. */
  readonly installation: Evidence;
  /** It got worse lately (`gotWorse`): only its latest outcomes are counted above. */
  readonly drifted: boolean;
  /** Expected dollars per task in this role: recorded costs at today's price, the table as a prior. */
  readonly costUsd: number;
  /** Tasks with a recorded cost behind `costUsd` (0: the list price alone). */
  readonly costTasks: number;
}

export interface ArmsEvidence {
  readonly arms: ReadonlyMap<string, ArmEvidence>;
  /**
   * How much the task's class differs from the candidates' records elsewhere, in success (for
   * all of them alike: a harder repository or area), estimated from their outcomes in the class.
   */
  readonly classShift: number;
  /**
   * How many tasks of evidence a model's record elsewhere is worth for one class, once the
   * class's shift is accounted for: estimated from how much the candidates' success differs
   * between classes beyond that shift (empirical Bayes), so a model that truly does better in
   * one class is learnt there, and classes that do not differ share their evidence.
   */
  readonly classStrength: number;
}

export interface MemoryOptions {
  /** A record this many days old counts half; undefined: no decay. */
  readonly halfLifeDays?: number;
  /** The list price of one typical task of `role` with `model` on `day`; undefined: unknown model. */
  readonly tableCost: (model: string, role: Role, day: string) => number | undefined;
  /**
   * The effort a model uses when a request names none: a task whose line names no effort ran
   * there. Undefined for a model without levels: it has no level arms.
   */
  readonly defaultEffort?: (model: string) => Effort | undefined;
}

/** A model's latest outcomes (one role, across classes) that `gotWorse` compares with its earlier ones. */
export const DRIFT_WINDOW = 30;
const DRIFT_MIN_RECENT = 20;
const DRIFT_MIN_REFERENCE = 30;
/**
 * One-sided z above which a drop counts: about 0.02 % by chance per look, as the test is made
 * again at every decision over overlapping windows.
 */
const DRIFT_Z = 3.5;
/** Tasks of the model's overall earlier rate a class's earlier rate is shrunk with, in the drift test. */
const DRIFT_CLASS_SHRINK = 4;
/** Earlier outcomes a class needs before its latest ones are compared with them. */
const DRIFT_MIN_CLASS = 5;
/** Tasks the pooled cost ratio is worth for a model with cost records of its own. */
const COST_PRIOR_TASKS = 2;
/** Tasks a model's cost ratio is worth for one class. */
const COST_CLASS_STRENGTH = 5;
/** A class never counts as sharing more than 50 tasks of the record elsewhere: with few classes the spread between them is a rough estimate. */
const CLASS_STRENGTH = { min: 4, max: 50, unknown: 20 } as const;
/** Tasks a class's shift is shrunk to none with. */
const SHIFT_SHRINK = 10;

const DAY_MS = 86_400_000;

/** Decayed sums as of `at` (ms): an addition made `d` days before counts 0.5^(d / half-life). */
interface Sums {
  successes: number;
  failures: number;
  /** Recorded cost over the list price of a typical task, summed over tasks, and those tasks. */
  costRatio: number;
  costTasks: number;
  at: number;
}

interface Outcome {
  readonly won: boolean;
  readonly cls: string;
}

/** A model's raw outcomes in one role, for the drift test: the latest few and the totals. */
interface Track {
  recent: Outcome[];
  wins: number;
  n: number;
  byClass: Map<string, { wins: number; n: number }>;
}

interface ModelMemory {
  readonly all: Sums;
  readonly classes: Map<string, Sums>;
  readonly track: Track;
}

const sums = (at: number): Sums => ({ successes: 0, failures: 0, costRatio: 0, costTasks: 0, at });
const classKey = (risk: string, area: string): string => `${risk}/${area}`;

/**
 * Running aggregates of a repository's (or an installation's) records for routing: per role and
 * model, decayed successes, failures and cost ratios, overall and per class, and the latest raw
 * outcomes for the drift test. Built once from the records, then kept up to date one finished
 * task at a time, so a decision reads a few sums instead of every record.
 */
export class RouterMemory {
  readonly #models = new Map<string, ModelMemory>();
  readonly #roles = new Map<Role, Set<string>>();
  readonly #halfLifeMs: number | undefined;
  readonly #tableCost: MemoryOptions["tableCost"];
  readonly #defaultEffort: MemoryOptions["defaultEffort"];
  readonly #prices = new Map<string, number | undefined>();

  constructor(options: MemoryOptions) {
    this.#halfLifeMs =
      options.halfLifeDays === undefined ? undefined : options.halfLifeDays * DAY_MS;
    this.#tableCost = options.tableCost;
    this.#defaultEffort = options.defaultEffort;
  }

  /** The records inside the window (a record outside it is not read), oldest first. */
  static from(records: Records, window: Window, options: MemoryOptions): RouterMemory {
    const memory = new RouterMemory(options);
    const calls = Map.groupBy(records.calls, (c) => c.task);
    const tasks = records.tasks
      .filter((t) => weightAt(t.finishedAt, window) > 0)
      .sort((a, b) => a.finishedAt.localeCompare(b.finishedAt));
    for (const t of tasks) memory.add(t, calls.get(t.task) ?? []);
    return memory;
  }

  /** A finished task: one outcome per role it names, with what the role's calls cost. Add tasks oldest first. */
  add(task: TaskLine, calls: readonly CallLine[]): void {
    if (task.outcome === "cancelled") return;
    for (const [role, answered] of Object.entries(task.models) as [
      Role,
      { model: string; effort?: Effort },
    ][]) {
      const paid = calls.filter(
        (c) => c.role === role || (role === "implementer" && c.role === "fixer"),
      );
      const outcome = {
        role,
        risk: task.risk,
        area: task.area,
        won: task.outcome === "success",
        at: task.finishedAt,
        ...(paid.length > 0 ? { costUsd: paid.reduce((s, c) => s + c.costUsd, 0) } : {}),
      };
      // Once for the model (every level pooled), once for the level it ran at.
      this.record({ ...outcome, model: answered.model });
      const level = answered.effort ?? this.#defaultEffort?.(answered.model);
      if (level) this.record({ ...outcome, model: levelArm(answered.model, level) });
    }
  }

  /** One outcome of `model` in `role` on a task of a class, with the role's cost when known. */
  record(o: {
    readonly role: Role;
    readonly model: string;
    readonly risk: Risk;
    readonly area: string;
    readonly won: boolean;
    readonly at: string;
    readonly costUsd?: number;
  }): void {
    const at = Date.parse(o.at);
    const key = `${o.role}\u0000${o.model}`;
    const cls = classKey(o.risk, o.area);
    let m = this.#models.get(key);
    if (!m) {
      m = {
        all: sums(at),
        classes: new Map(),
        track: { recent: [], wins: 0, n: 0, byClass: new Map() },
      };
      this.#models.set(key, m);
      if (!isLevelArm(o.model))
        this.#roles.set(o.role, (this.#roles.get(o.role) ?? new Set()).add(o.model));
    }
    const table =
      o.costUsd === undefined ? undefined : this.tableCost(o.model, o.role, o.at.slice(0, 10));
    const ratio =
      table !== undefined && table > 0 && o.costUsd !== undefined ? o.costUsd / table : undefined;
    const inClass = m.classes.get(cls) ?? sums(at);
    m.classes.set(cls, inClass);
    for (const s of [m.all, inClass]) this.#add(s, at, o.won, ratio);
    const t = m.track;
    t.recent.push({ won: o.won, cls });
    if (t.recent.length > DRIFT_WINDOW) t.recent.shift();
    t.wins += o.won ? 1 : 0;
    t.n += 1;
    const c = t.byClass.get(cls) ?? { wins: 0, n: 0 };
    t.byClass.set(cls, { wins: c.wins + (o.won ? 1 : 0), n: c.n + 1 });
  }

  /** The models that have outcomes in `role` (their own arms, not their level arms). */
  modelsOf(role: Role): readonly string[] {
    return [...(this.#roles.get(role) ?? [])];
  }

  /** Whether `model` got worse in `role` lately (`gotWorse` on its raw outcomes). */
  drifted(role: Role, model: string): boolean {
    const m = this.#models.get(`${role}\u0000${model}`);
    return m ? gotWorse(m.track) : false;
  }

  /** Decayed sums at `now` for `model` in `role`: overall and per class. */
  sums(
    role: Role,
    model: string,
    now: number,
  ): { all: Readonly<Sums>; classes: ReadonlyMap<string, Readonly<Sums>> } | undefined {
    const m = this.#models.get(`${role}\u0000${model}`);
    if (!m) return undefined;
    return {
      all: this.#at(m.all, now),
      classes: new Map([...m.classes].map(([k, s]) => [k, this.#at(s, now)])),
    };
  }

  /** `model`'s latest outcomes in `role` (at most `DRIFT_WINDOW`), oldest first. */
  recent(role: Role, model: string): readonly Outcome[] {
    return this.#models.get(`${role}\u0000${model}`)?.track.recent ?? [];
  }

  /** The list price of a typical task (`MemoryOptions.tableCost`), remembered per model, role and day. */
  tableCost(model: string, role: Role, day: string): number | undefined {
    const key = `${model}\u0000${role}\u0000${day}`;
    if (this.#prices.has(key)) return this.#prices.get(key);
    // An arm at an effort is priced as its model; what the effort changes shows in its recorded costs.
    const price = this.#tableCost(armModel(model), role, day);
    this.#prices.set(key, price);
    return price;
  }

  #add(s: Sums, at: number, won: boolean, ratio: number | undefined): void {
    let w = 1;
    if (this.#halfLifeMs !== undefined) {
      if (at > s.at) {
        const f = 0.5 ** ((at - s.at) / this.#halfLifeMs);
        s.successes *= f;
        s.failures *= f;
        s.costRatio *= f;
        s.costTasks *= f;
        s.at = at;
      } else w = 0.5 ** ((s.at - at) / this.#halfLifeMs);
    }
    if (won) s.successes += w;
    else s.failures += w;
    if (ratio !== undefined) {
      s.costRatio += ratio * w;
      s.costTasks += w;
    }
  }

  #at(s: Sums, now: number): Sums {
    const f =
      this.#halfLifeMs === undefined ? 1 : 0.5 ** (Math.max(0, now - s.at) / this.#halfLifeMs);
    return {
      successes: s.successes * f,
      failures: s.failures * f,
      costRatio: s.costRatio * f,
      costTasks: s.costTasks * f,
      at: now,
    };
  }
}

/**
 * Whether a model got worse: its latest outcomes (at least 20, across classes it was seen in
 * before) won clearly fewer than its own earlier outcomes (at least 30) predict for their
 * classes (one-sided, z > 3.5). Both
 * sides are outcomes, never an estimate made when the model was picked: a model chosen after a
 * lucky run returns to its true rate, which is no drop. Each class's earlier rate is shrunk to
 * the model's overall one, so a stream that turns to a harder class is not read as a drop either.
 */
export function gotWorse(track: {
  readonly recent: readonly Outcome[];
  readonly wins: number;
  readonly n: number;
  readonly byClass: ReadonlyMap<string, { readonly wins: number; readonly n: number }>;
}): boolean {
  const recent = track.recent;
  const refN = track.n - recent.length;
  if (refN < DRIFT_MIN_REFERENCE) return false;
  const pRef = (track.wins - recent.filter((o) => o.won).length + 1) / (refN + 2);
  let expected = 0;
  let variance = 0;
  let observed = 0;
  let counted = 0;
  for (const [cls, outcomes] of Map.groupBy(recent, (o) => o.cls)) {
    const total = track.byClass.get(cls) ?? { wins: 0, n: 0 };
    const n = total.n - outcomes.length;
    // A class it has not been seen in before says nothing about a drop.
    if (n < DRIFT_MIN_CLASS) continue;
    const wins = total.wins - outcomes.filter((o) => o.won).length;
    const p = (wins + DRIFT_CLASS_SHRINK * pRef) / (n + DRIFT_CLASS_SHRINK);
    expected += p * outcomes.length;
    variance += p * (1 - p) * outcomes.length;
    observed += outcomes.filter((o) => o.won).length;
    counted += outcomes.length;
  }
  if (counted < DRIFT_MIN_RECENT) return false;
  // The earlier rate is itself an estimate: its error widens the test.
  variance *= 1 + counted / refN;
  return variance > 0 && (expected - observed) / Math.sqrt(variance) > DRIFT_Z;
}

/**
 * The evidence for one decision: per candidate model, this repository's outcomes in the class
 * and elsewhere, the installation's, whether it drifted, and its expected cost (recorded cost
 * over list price, pooled across models as the prior of a model without records, times today's
 * list price).
 */
export function armsEvidence(input: {
  readonly own: RouterMemory;
  readonly installation?: readonly RouterMemory[];
  readonly role: Role;
  readonly risk: Risk;
  readonly area: string;
  readonly models: readonly string[];
  readonly now: string;
}): ArmsEvidence {
  const { own, role } = input;
  const installation = input.installation ?? [];
  const now = Date.parse(input.now);
  const day = input.now.slice(0, 10);
  const cls = classKey(input.risk, input.area);
  const none: Evidence = { successes: 0, failures: 0 };
  // Every model's cost ratio here and in the installation: the prior of a model with none.
  let ratio = 0;
  let ratioTasks = 0;
  for (const memory of [own, ...installation])
    for (const model of memory.modelsOf(role)) {
      const s = memory.sums(role, model, now)?.all;
      if (s) {
        ratio += s.costRatio;
        ratioTasks += s.costTasks;
      }
    }
  const pooledRatio = ratioTasks > 0 ? ratio / ratioTasks : 1;
  const arms = new Map<string, ArmEvidence>();
  const groups: Group[] = [];
  for (const model of input.models) {
    const mine = own.sums(role, model, now);
    const elsewhereInst = installation.flatMap((m) => {
      const s = m.sums(role, model, now);
      return s ? [s] : [];
    });
    const inst = elsewhereInst.reduce(
      (a, s) => ({
        successes: a.successes + s.all.successes,
        failures: a.failures + s.all.failures,
        costRatio: a.costRatio + s.all.costRatio,
        costTasks: a.costTasks + s.all.costTasks,
      }),
      { successes: 0, failures: 0, costRatio: 0, costTasks: 0 },
    );
    [mine, ...elsewhereInst].forEach((s, source) => {
      for (const [key, c] of s?.classes ?? [])
        groups.push({
          model,
          group: `${String(source)} ${key}`,
          successes: c.successes,
          n: c.successes + c.failures,
        });
    });
    const here = mine?.classes.get(cls);
    const drifted = own.drifted(role, model);
    let inClass: Evidence = here ? { successes: here.successes, failures: here.failures } : none;
    let elsewhere: Evidence = mine
      ? {
          successes: mine.all.successes - inClass.successes,
          failures: mine.all.failures - inClass.failures,
        }
      : none;
    let pooled: Evidence = { successes: inst.successes, failures: inst.failures };
    if (drifted) {
      const recent = own.recent(role, model);
      const count = (xs: readonly Outcome[]): Evidence => ({
        successes: xs.filter((o) => o.won).length,
        failures: xs.filter((o) => !o.won).length,
      });
      inClass = count(recent.filter((o) => o.cls === cls));
      elsewhere = count(recent.filter((o) => o.cls !== cls));
      pooled = none;
    }
    const ownRatio = mine?.all.costRatio ?? 0;
    const ownTasks = mine?.all.costTasks ?? 0;
    const modelRatio =
      (pooledRatio * COST_PRIOR_TASKS + ownRatio + inst.costRatio) /
      (COST_PRIOR_TASKS + ownTasks + inst.costTasks);
    const classRatio =
      (modelRatio * COST_CLASS_STRENGTH + (here?.costRatio ?? 0)) /
      (COST_CLASS_STRENGTH + (here?.costTasks ?? 0));
    arms.set(model, {
      inClass,
      elsewhere,
      installation: pooled,
      drifted,
      costUsd: classRatio * (own.tableCost(model, role, day) ?? 0),
      costTasks: ownTasks + inst.costTasks,
    });
  }
  // The class's shift: what the candidates won here against what their records elsewhere predict.
  let surprise = 0;
  let tried = 0;
  for (const e of arms.values()) {
    const n =
      e.elsewhere.successes +
      e.elsewhere.failures +
      e.installation.successes +
      e.installation.failures;
    const inClass = e.inClass.successes + e.inClass.failures;
    if (n === 0 || inClass === 0) continue;
    surprise +=
      e.inClass.successes - (inClass * (e.elsewhere.successes + e.installation.successes)) / n;
    tried += inClass;
  }
  return {
    arms,
    classShift: surprise / (tried + SHIFT_SHRINK),
    classStrength: classStrength(groups),
  };
}

interface Group {
  readonly model: string;
  /** Which records (own or one installation) and which class. */
  readonly group: string;
  readonly successes: number;
  readonly n: number;
}

/**
 * Tasks of evidence a model's overall record is worth for one class: p(1 − p) / τ², with τ² the
 * variance of a model's true success in a class around its overall success plus the class's
 * shift (what every model gains or loses there), estimated by the method of moments from the
 * classes with some evidence: the residuals' spread less what sampling alone gives.
 */
function classStrength(groups: readonly Group[]): number {
  const usable = groups.filter((g) => g.n >= 3);
  const byModel = Map.groupBy(usable, (g) => g.model);
  const rate = new Map(
    [...byModel].map(([m, gs]) => [
      m,
      gs.reduce((s, g) => s + g.successes, 0) / gs.reduce((s, g) => s + g.n, 0),
    ]),
  );
  const shift = new Map(
    [...Map.groupBy(usable, (g) => g.group)].map(([k, gs]) => [
      k,
      gs.reduce((s, g) => s + g.successes - g.n * (rate.get(g.model) ?? 0), 0) /
        (gs.reduce((s, g) => s + g.n, 0) + SHIFT_SHRINK),
    ]),
  );
  let spread = 0;
  let sampling = 0;
  let n = 0;
  let successes = 0;
  for (const g of usable) {
    if ((byModel.get(g.model)?.length ?? 0) < 2) continue;
    const q = Math.min(0.99, Math.max(0.01, (rate.get(g.model) ?? 0) + (shift.get(g.group) ?? 0)));
    spread += g.n * (g.successes / g.n - q) ** 2;
    sampling += q * (1 - q);
    n += g.n;
    successes += g.successes;
  }
  if (n === 0) return CLASS_STRENGTH.unknown;
  const p = successes / n;
  const tau2 = (spread - sampling) / n;
  if (tau2 <= 0) return CLASS_STRENGTH.max;
  return Math.min(CLASS_STRENGTH.max, Math.max(CLASS_STRENGTH.min, (p * (1 - p)) / tau2));
}
