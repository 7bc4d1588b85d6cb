import { matchesGlob, normalizePath } from "../text/glob.ts";
import type { FileChange } from "./diff.ts";

export type GuardKind =
  | "outside_plan"
  | "test_deleted"
  | "test_skipped"
  | "assertion_removed"
  | "assertion_loosened"
  | "coverage_lowered"
  | "lint_disabled"
  | "ci_config";

/** Something in a step's diff that a reviewer must see. */
export interface GuardFinding {
  readonly kind: GuardKind;
  readonly path: string;
  /** The line in the new file (or the old one for removed lines); null for a whole file. */
  readonly line: number | null;
  readonly message: string;
}

export interface StepGuard {
  /** Changes to files the approved plan did not name for this step: for the reviewer to judge. */
  readonly outsidePlan: readonly GuardFinding[];
  /** Changes that weaken the checks (skipped or deleted tests, looser assertions, lower thresholds, disabled rules, CI edited): required changes. */
  readonly weakening: readonly GuardFinding[];
  /** Lines changed in files outside the plan. */
  readonly unplannedLines: number;
}

const TEST_FILE =
  /(?:^|\/)(?:tests?|__tests__|spec|specs)\/|\.(?:test|spec)\.[cm]?[jt]sx?$|(?:^|\/)test_[^/]+\.py$|_test\.(?:py|go)$|(?:^|\/)tests?\.rs$/i;
const SKIP =
  /\b(?:it|test|describe|suite|context)\.(?:skip|only|todo)\b|\bx(?:it|test|describe)\s*\(|\bf(?:it|describe)\s*\(|@pytest\.mark\.(?:skip|skipif|xfail)\b|\bpytest\.skip\s*\(|\bt\.Skip(?:Now|f)?\s*\(|#\[ignore\]|@(?:Disabled|Ignore)\b|\bskip\s*:\s*true\b|\{\s*skip\s*:/;
const ASSERTION =
  /\b(?:expect|assert\w*|should|t\.(?:Error|Errorf|Fatal|Fatalf|Fail)|require\.\w+|assert_eq!|assert_ne!|assert!)\s*[.(]|\bassert\s+\S/;
const STRICT =
  /\.(?:toBe|toEqual|toStrictEqual|toMatchObject|toThrow\w*|toHaveBeenCalledWith|toHaveLength)\(|\bassert(?:Equal|StrictEqual|DeepStrictEqual|_eq!)|\bassert\s+\S+\s*==/;
const LOOSE =
  /\.(?:toBeTruthy|toBeDefined|toBeFalsy|not\.toBeNull|not\.toBeUndefined)\(\)|expect\.anything\(\)|\bassert\s+(?:True|true)\b|\bassert\.ok\(|\bassert!\(\s*true\s*\)/;
const LINT_OFF =
  /eslint-disable|@ts-(?:ignore|nocheck|expect-error)|#\s*noqa\b|#\s*type:\s*ignore|#\s*pylint:\s*disable|\/\/\s*nolint\b|#\[allow\(|#!\[allow\(|biome-ignore|prettier-ignore|["']off["']|:\s*0\s*[,}]/;
const LINT_CONFIG =
  /(?:^|\/)(?:\.?eslint[^/]*|\.?biome\.jsonc?|\.?ruff\.toml|\.flake8|\.pylintrc|tslint\.json|\.golangci\.ya?ml|clippy\.toml|tsconfig[^/]*\.json)$/i;
const COVERAGE_CONFIG =
  /(?:^|\/)(?:vitest|jest|vite|karma)\.config\.[cm]?[jt]s$|(?:^|\/)(?:package\.json|\.nycrc(?:\.json)?|\.c8rc(?:\.json)?|pyproject\.toml|setup\.cfg|\.coveragerc|tox\.ini|codecov\.ya?ml|\.codecov\.ya?ml|jest\.config\.json)$/i;
const THRESHOLD =
  /\b(lines|branches|functions|statements|fail_under|fail-under|threshold|target|min(?:imum)?_?coverage|coverageThreshold|--cov-fail-under)\b["']?\s*[:=]?\s*["']?(\d+(?:\.\d+)?)/i;
const CI_CONFIG =
  /^(?:\.github\/workflows\/|\.github\/actions\/|\.circleci\/|\.gitlab-ci\.ya?ml$|\.gitlab\/|azure-pipelines\.ya?ml$|Jenkinsfile$|\.buildkite\/|\.travis\.ya?ml$|bitbucket-pipelines\.yml$|\.drone\.ya?ml$)/;

/**
 * Compares a step's diff with the files the approved plan named for it and looks for changes
 * that weaken the checks. Planned files may be paths, folders or globs; a test file of a planned
 * file (same name with `.test`/`_test`/`test_`) counts as planned. Steps without files (fixes)
 * have no plan to compare with: only weakening is looked for.
 */
export function guardStep(planned: readonly string[], changes: readonly FileChange[]): StepGuard {
  const outsidePlan: GuardFinding[] = [];
  const weakening: GuardFinding[] = [];
  let unplannedLines = 0;
  for (const change of changes) {
    if (planned.length > 0 && !isPlanned(change.path, planned)) {
      const lines = change.added.length + change.removed.length;
      unplannedLines += lines;
      outsidePlan.push({
        kind: "outside_plan",
        path: change.path,
        line: null,
        message: `${change.path} is not among the step's planned files (${change.status}, +${change.added.length} −${change.removed.length})`,
      });
    }
    weakening.push(...weakeningIn(change));
  }
  return { outsidePlan, weakening, unplannedLines };
}

function isPlanned(path: string, planned: readonly string[]): boolean {
  const stem = (p: string): string =>
    normalizePath(p)
      .split("/")
      .at(-1)
      ?.replace(/\.[^.]+$/, "")
      .replace(/(?:[._-](?:test|spec))+$|^test_/i, "") ?? "";
  return planned.some(
    (p) =>
      matchesGlob(path, p) || (TEST_FILE.test(path) && stem(path) !== "" && stem(path) === stem(p)),
  );
}

function weakeningIn(change: FileChange): GuardFinding[] {
  const found: GuardFinding[] = [];
  const add = (kind: GuardKind, line: number | null, message: string): void => {
    found.push({ kind, path: change.path, line, message });
  };
  const quote = (text: string): string => `\`${text.trim().slice(0, 160).replace(/`/g, "'")}\``;
  if (CI_CONFIG.test(change.path)) {
    add(
      "ci_config",
      null,
      `CI configuration ${change.path} is ${change.status}: the gate must not be changed by the task`,
    );
    return found;
  }
  const test = TEST_FILE.test(change.path);
  if (test && change.status === "deleted") {
    add("test_deleted", null, `test file ${change.path} is deleted`);
    return found;
  }
  for (const l of change.added) {
    if (test && SKIP.test(l.text))
      add("test_skipped", l.line, `a test is skipped or focused: ${quote(l.text)}`);
    if (
      LINT_OFF.test(l.text) &&
      (LINT_CONFIG.test(change.path) || !/["']off["']|:\s*0\s*[,}]/.test(l.text))
    )
      add("lint_disabled", l.line, `a check is turned off: ${quote(l.text)}`);
  }
  if (test) {
    const removedAsserts = change.removed.filter((l) => ASSERTION.test(l.text));
    const addedAsserts = change.added.filter((l) => ASSERTION.test(l.text));
    if (removedAsserts.length > addedAsserts.length)
      for (const l of removedAsserts.slice(0, 5))
        add("assertion_removed", l.line, `an assertion is removed: ${quote(l.text)}`);
    if (change.removed.some((l) => STRICT.test(l.text)))
      for (const l of change.added.filter((a) => LOOSE.test(a.text)).slice(0, 5))
        add("assertion_loosened", l.line, `an assertion is loosened: ${quote(l.text)}`);
  }
  if (COVERAGE_CONFIG.test(change.path)) {
    for (const removed of change.removed) {
      const before = THRESHOLD.exec(removed.text);
      if (!before?.[1]) continue;
      const after = change.added
        .map((l) => THRESHOLD.exec(l.text))
        .find((m) => m?.[1]?.toLowerCase() === before[1]?.toLowerCase());
      const lowered = after ? Number(after[2]) < Number(before[2]) : true;
      if (lowered)
        add(
          "coverage_lowered",
          removed.line,
          `coverage threshold ${before[1]} ${after ? `lowered from ${before[2] ?? "?"} to ${after[2] ?? "?"}` : `removed (was ${before[2] ?? "?"})`}`,
        );
    }
  }
  return found;
}

/** A finding as one line for a reviewer, a prompt or an escalation: `path:line: message`. */
export function findingLine(f: GuardFinding): string {
  return `${f.path}${f.line === null ? "" : `:${f.line}`}: ${f.message}`;
}

/** The guard's findings as the task records them. */
export function summariseGuard(guard: StepGuard): {
  outsidePlan: string[];
  weakening: string[];
  unplannedLines: number;
} {
  return {
    outsidePlan: guard.outsidePlan.map(findingLine),
    weakening: guard.weakening.map(findingLine),
    unplannedLines: guard.unplannedLines,
  };
}

/** Whether a step changed so much outside its plan that a person must look before any review. */
export function scopeExceeded(
  guard: { readonly unplannedLines: number },
  limit: number | undefined,
  approved: boolean,
): boolean {
  return !approved && limit !== undefined && guard.unplannedLines > limit;
}
