/**
 * GitHub's rules for workflows and actions, as the tests of `action.yml` and `templates/*.yml`
 * check them. GitHub's own parser (`@actions/workflow-parser`) checks the syntax, the schema
 * (keys, allowed values such as `queue: single | max`) and where each expression context may be
 * used. It cannot check (so these helpers do, each from the source named beside it):
 *
 * - what an `if:` lets through: it parses expressions, it does not run them against events
 *   (`evaluate`, with GitHub's own evaluator, `@actions/expressions`);
 * - `queue: max` with `cancel-in-progress: true`, which GitHub refuses when the run is queued
 *   ("not allowed and will result in a workflow validation error", docs below);
 * - which events a concurrency group cancels (`lostRuns`), and which triggers fire for one push
 *   (`runsForPush`): behaviour, not syntax;
 * - the actions a step uses: whether `uses:` is pinned to a commit, and whether its `with:` keys
 *   are the action's inputs (`usesProblems`, against the actions' own `action.yml`).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Evaluator, Lexer, Parser, data } from "@actions/expressions";
import { truthy } from "@actions/expressions/result";
import { NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";
import { convertActionTemplate, parseAction } from "@actions/workflow-parser/actions/index";
import picomatch from "picomatch";
import { parse } from "yaml";

/** GitHub's workflow parser's error messages for a workflow file. */
export function workflowErrors(name: string, content: string): string[] {
  const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  return result.context.errors.getErrors().map((e) => e.message);
}

/** GitHub's parser's error messages for an action's metadata file, and its inputs. */
export function parseActionFile(
  name: string,
  content: string,
): { errors: string[]; inputs: { id: string; required: boolean }[]; outputs: string[] } {
  const trace = new NoOperationTraceWriter();
  const result = parseAction({ name, content }, trace);
  const errors = result.context.errors.getErrors().map((e) => e.message);
  if (!result.value) return { errors, inputs: [], outputs: [] };
  const template = convertActionTemplate(result.context, result.value);
  return {
    errors: [...errors, ...result.context.errors.getErrors().map((e) => e.message)].filter(
      (e, i, all) => all.indexOf(e) === i,
    ),
    inputs: (template.inputs ?? []).map((i) => ({ id: i.id, required: i.required === true })),
    outputs: (template.outputs ?? []).map((o) => o.id),
  };
}

/**
 * An `if:` as the runner evaluates it, over a `github` context (`event_name`, `event`: the
 * webhook payload, `repository`: `owner/name`), with GitHub's expression evaluator.
 */
export function evaluate(expression: string, github: Record<string, unknown>): boolean {
  const source = expression.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, "$1");
  const lexed = new Lexer(source).lex();
  const ast = new Parser(lexed.tokens, ["github"], []).parse();
  const context = JSON.parse(JSON.stringify({ github }), data.reviver) as data.Dictionary;
  return truthy(new Evaluator(ast, context).evaluate());
}

export interface Concurrency {
  /** Where the group is set: a workflow-level group is joined before any job's `if:`. */
  readonly level: "workflow" | "job";
  readonly cancelInProgress: boolean;
  readonly queue: "single" | "max";
}

/**
 * GitHub's rules for a concurrency block that its parser does not check. "The combination of
 * `queue: max` and `cancel-in-progress: true` is not allowed and will result in a workflow
 * validation error." (docs.github.com, Actions › Control the concurrency of workflows and jobs)
 */
export function concurrencyProblems(c: Concurrency): string[] {
  return c.queue === "max" && c.cancelInProgress
    ? ["queue: max with cancel-in-progress: true is refused by GitHub"]
    : [];
}

/** The most runs `queue: max` keeps pending in one group ("up to 100", same page). */
const MAX_PENDING = 100;

/**
 * Which of these runs, all in one concurrency group and queued while the first still runs, GitHub
 * cancels, per the documentation above: one run in progress; `single` keeps one pending and
 * cancels it when another is queued; `max` keeps up to 100 pending and cancels what comes after;
 * `cancel-in-progress` cancels the running one. A run whose job `if:` is false joins a
 * workflow-level group (the group is evaluated when the run is queued) but not a job-level one
 * (a skipped job is never queued). Returns the indexes of cancelled runs whose job would have run.
 */
export function lostRuns(c: Concurrency, runs: readonly { passesIf: boolean }[]): number[] {
  const lost: number[] = [];
  let running: number | null = null;
  const pending: number[] = [];
  const cancel = (i: number): void => {
    if (runs[i]?.passesIf === true) lost.push(i);
  };
  for (const [i, run] of runs.entries()) {
    if (c.level === "job" && !run.passesIf) continue;
    if (running === null) {
      running = i;
      continue;
    }
    if (c.cancelInProgress) {
      cancel(running);
      running = i;
      continue;
    }
    if (c.queue === "single") {
      for (const p of pending.splice(0)) cancel(p);
      pending.push(i);
    } else if (pending.length < MAX_PENDING) pending.push(i);
    else cancel(i);
  }
  return lost.sort((a, b) => a - b);
}

interface Trigger {
  readonly branches?: readonly string[];
  readonly "branches-ignore"?: readonly string[];
  readonly types?: readonly string[];
}

/** GitHub's branch filter patterns (`*` within a path segment, `**` across them). */
const matches = (patterns: readonly string[], branch: string): boolean =>
  picomatch(patterns as string[], { dot: true })(branch);

const passesFilter = (t: Trigger | null | undefined, branch: string): boolean =>
  (t?.branches === undefined || matches(t.branches, branch)) &&
  (t?.["branches-ignore"] === undefined || !matches(t["branches-ignore"], branch));

/**
 * How many runs of a workflow one push to `branch` starts when a pull request from it to `base`
 * is open in the same repository: `push` (its `branches` filter the pushed branch) and
 * `pull_request` (`synchronize` is one of its default types; its `branches` filter the base).
 * Source: docs.github.com, Actions › Events that trigger workflows (push, pull_request).
 */
export function runsForPush(
  on: Record<string, Trigger | null>,
  branch: string,
  base: string,
): number {
  let runs = 0;
  if ("push" in on && passesFilter(on["push"], branch)) runs += 1;
  if ("pull_request" in on) {
    const t = on["pull_request"];
    const types = t?.types ?? ["opened", "synchronize", "reopened"];
    if (types.includes("synchronize") && passesFilter(t, base)) runs += 1;
  }
  return runs;
}

/** The releases the templates pin, with their `action.yml` under test/fixtures/actions/. */
export const PINNED: Record<string, { sha: string; version: string; dir: string }> = {
  "actions/checkout": {
    sha: "3d3c42e5aac5ba805825da76410c181273ba90b1",
    version: "v7.0.1",
    dir: "checkout",
  },
  "actions/setup-node": {
    sha: "820762786026740c76f36085b0efc47a31fe5020",
    version: "v7.0.0",
    dir: "setup-node",
  },
  "actions/create-github-app-token": {
    sha: "1b10c78c7865c340bc4f6099eb2f838309f1e8c3",
    version: "v3.1.1",
    dir: "create-github-app-token",
  },
};

const FIXTURES = new URL("../fixtures/actions/", import.meta.url).pathname;

/**
 * Every `uses:` of a workflow: pinned to a full commit SHA with its version in a comment (the
 * one exception, `own`, is this repository's action, whose inputs are read from `ownAction`),
 * and every `with:` key an input the action declares, its required inputs given.
 */
export function usesProblems(
  content: string,
  own: { readonly name: string; readonly actionYml: string },
): string[] {
  const problems: string[] = [];
  for (const line of content.split("\n")) {
    const m = /^\s*-?\s*uses:\s*(\S+?)@(\S+)(?:\s+#\s*(\S+))?\s*$/.exec(line);
    if (!m) continue;
    const [, name = "", ref = "", comment] = m;
    if (name === own.name) continue;
    const pinned = PINNED[name];
    if (!/^[0-9a-f]{40}$/.test(ref)) problems.push(`${name}@${ref} is not pinned to a commit`);
    else if (pinned && (ref !== pinned.sha || comment !== pinned.version))
      problems.push(`${name}@${ref} # ${comment ?? ""} is not ${pinned.sha} # ${pinned.version}`);
    else if (!pinned) problems.push(`${name} has no action.yml under test/fixtures/actions`);
  }
  const workflow = parse(content) as {
    jobs: Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }>;
  };
  for (const step of Object.values(workflow.jobs).flatMap((j) => j.steps ?? [])) {
    if (!step.uses) continue;
    const name = step.uses.slice(0, step.uses.indexOf("@"));
    const file =
      name === own.name
        ? own.actionYml
        : PINNED[name]
          ? readFileSync(join(FIXTURES, PINNED[name].dir, "action.yml"), "utf8")
          : null;
    if (file === null) continue;
    const { inputs } = parseActionFile(`${name}/action.yml`, file);
    const given = Object.keys(step.with ?? {});
    for (const key of given)
      if (!inputs.some((i) => i.id === key)) problems.push(`${name} has no input ${key}`);
    for (const input of inputs)
      if (input.required && !given.includes(input.id))
        problems.push(`${name} needs its input ${input.id}`);
  }
  return problems;
}
