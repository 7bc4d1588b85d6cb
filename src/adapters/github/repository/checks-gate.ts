import { excerptLog } from "../../../core/ci/excerpt.ts";
import type { GateCheck, GateResult } from "../../../core/plan/gate-result.ts";
import type { GatePending, GateStatus, QualityGate } from "../../../ports/quality-gate.ts";
import { z } from "zod";
import type { GitHub, RepoRef } from "../api/client.ts";
import { CHECK_NAME } from "./code-host.ts";
import { GitHubApiError } from "../api/errors.ts";
import { Annotation, CheckRun, WorkflowJob, WorkflowRun } from "../api/responses.ts";

export interface ChecksGateOptions {
  readonly github: GitHub;
  readonly repo: RepoRef;
  /** The branch tasks start from: a failure it shows too is not a task's to fix. */
  readonly baseBranch: string;
  /** Check names that must pass; empty: every check run on the commit. */
  readonly required: readonly string[];
  /** App slugs whose check runs count (e.g. github-actions). */
  readonly trustedApps: readonly string[];
  /** Whether `neutral` counts as passing; `success` always does, `skipped` never. */
  readonly neutralPasses?: boolean;
  /** Whether a failed GitHub Actions job may be run again once before the fixer is called. */
  readonly rerunFailed?: boolean;
}

/** Conclusions that say CI failed, not the code. */
const INFRASTRUCTURE = new Set(["cancelled", "timed_out", "startup_failure", "stale"]);
/** What a job log says when the runner, not the step, failed. */
const RUNNER_LOST =
  /The runner has received a shutdown signal|lost communication with the server|The hosted runner encountered an error|The operation was canceled\.|No space left on device/;
/** A GitHub Actions check run's page: `…/actions/runs/{run}/job/{job}`. */
const ACTIONS_JOB = /\/actions\/runs\/(\d+)\/jobs?\/(\d+)/;
const ACTIONS_APP = "github-actions";

type Run = z.infer<typeof CheckRun>;

/**
 * The repository's own CI as the quality gate. The verdict is read from the latest check runs of
 * the current head only; `skipped` is not success. Until every counted check has completed the
 * gate is pending, and a `check_suite` or `workflow_run` webhook (or the sweep) asks again. For a
 * failed GitHub Actions job the job's log is read; for other apps, the check run's output.
 */
export class ChecksGate implements QualityGate {
  readonly #o: ChecksGateOptions;

  constructor(options: ChecksGateOptions) {
    this.#o = options;
  }

  async run(options: { commit: string }): Promise<GateResult | GatePending> {
    return (await this.resultFor(options.commit)) ?? { pending: true };
  }

  status(options: { commit: string }): Promise<GateStatus> {
    return this.look(options.commit);
  }

  /** The verdict on a commit, or null while checks are missing or still running. */
  async resultFor(commit: string): Promise<GateResult | null> {
    return (await this.look(commit)).result;
  }

  /** The verdict on a commit (null while pending), and whether any counted check has started. */
  async look(commit: string): Promise<{ result: GateResult | null; started: boolean }> {
    const counted = await this.#latestRuns(commit);
    const started = counted.length > 0;
    const wanted =
      this.#o.required.length > 0 ? this.#o.required : [...new Set(counted.map((r) => r.name))];
    if (wanted.length === 0) return { result: null, started };
    const runs: Run[] = [];
    for (const name of wanted) {
      const run = counted.find((r) => r.name === name);
      if (!run || run.status !== "completed") return { result: null, started };
      runs.push(run);
    }
    const checks: GateCheck[] = [];
    for (const run of runs) checks.push(await this.#check(run));
    return { result: { passed: checks.every((c) => c.passed), commit, checks }, started };
  }

  async rerun(options: {
    commit: string;
    checks: readonly string[];
  }): Promise<{ started: true } | { refused: string }> {
    const runs = await this.#latestRuns(options.commit);
    const workflowRuns = new Set<number>();
    for (const name of options.checks) {
      const run = runs.find((r) => r.name === name);
      // Running again already (asked before a crash, or by a person): nothing to start.
      if (!run || run.status !== "completed") continue;
      const job = this.#jobOf(run);
      if (!job) return { refused: `${name} is not a GitHub Actions job` };
      workflowRuns.add(job.runId);
    }
    for (const runId of workflowRuns) {
      try {
        await this.#o.github.rest.actions.reRunWorkflowFailedJobs({
          ...this.#o.repo,
          run_id: runId,
        });
      } catch (error) {
        if (error instanceof GitHubApiError && error.status === 403)
          return {
            refused:
              "the installation has not granted the Actions (write) permission, so failed jobs are not run again",
          };
        throw error;
      }
    }
    return { started: true };
  }

  /** The newest check run of each name on the commit, from trusted apps, ours left out. */
  async #latestRuns(commit: string): Promise<Run[]> {
    const listed = await this.#o.github.paginate(this.#o.github.rest.checks.listForRef, {
      ...this.#o.repo,
      ref: commit,
      per_page: 100,
      filter: "latest",
    });
    const newest = new Map<string, Run>();
    for (const run of z.array(CheckRun).parse(listed)) {
      if (run.name === CHECK_NAME || run.head_sha !== commit) continue;
      if (!this.#o.trustedApps.includes(run.app?.slug ?? "")) continue;
      const known = newest.get(run.name);
      if (!known || known.id < run.id) newest.set(run.name, run);
    }
    return [...newest.values()];
  }

  async #check(run: Run): Promise<GateCheck> {
    const passed =
      run.conclusion === "success" ||
      (this.#o.neutralPasses === true && run.conclusion === "neutral");
    const started = run.started_at ? Date.parse(run.started_at) : 0;
    const ended = run.completed_at ? Date.parse(run.completed_at) : started;
    const url = run.details_url ?? run.html_url;
    const base = {
      name: run.name,
      passed,
      reason: passed ? null : `conclusion ${run.conclusion ?? "unknown"}`,
      durationMs: Math.max(0, ended - started),
      id: String(run.id),
      ...(url ? { url } : {}),
    };
    if (passed) return { ...base, output: "" };
    const job = this.#jobOf(run);
    const log = job ? await this.#jobLog(job.jobId) : null;
    const excerpt = excerptLog(log ?? (await this.#outputText(run)));
    const infrastructure =
      INFRASTRUCTURE.has(run.conclusion ?? "") || (log !== null && RUNNER_LOST.test(log));
    const redOnBase =
      job !== null &&
      !infrastructure &&
      (await this.#redOnBase(job.runId, run.name, excerpt.fingerprint));
    return {
      ...base,
      output: excerpt.text,
      fingerprint: excerpt.fingerprint,
      ...(excerpt.refs.length > 0 ? { failures: [...excerpt.refs] } : {}),
      tools: [...excerpt.tools],
      infrastructure,
      rerunnable: job !== null && (infrastructure || this.#o.rerunFailed !== false),
      redOnBase,
    };
  }

  /** The workflow run and job behind a GitHub Actions check run (the job id is the check run's). */
  #jobOf(run: Run): { runId: number; jobId: number } | null {
    if (run.app?.slug !== ACTIONS_APP) return null;
    const m = ACTIONS_JOB.exec(run.details_url ?? run.html_url ?? "");
    return m ? { runId: Number(m[1]), jobId: Number(m[2]) } : null;
  }

  /** A job's whole log: GitHub answers with a redirect to a short-lived download address. */
  async #jobLog(jobId: number): Promise<string | null> {
    try {
      const answer = await this.#o.github.rest.actions.downloadJobLogsForWorkflowRun({
        ...this.#o.repo,
        job_id: jobId,
      });
      return typeof answer.data === "string" ? answer.data : null;
    } catch (error) {
      // Logs expire (410) or are not there yet (404); the check run's own output remains.
      if (error instanceof GitHubApiError && (error.status === 404 || error.status === 410))
        return null;
      throw error;
    }
  }

  async #outputText(run: Run): Promise<string> {
    const annotations = await this.#o.github.rest.checks.listAnnotations({
      ...this.#o.repo,
      check_run_id: run.id,
      per_page: 50,
    });
    const lines = z
      .array(Annotation)
      .parse(annotations.data)
      .map(
        (a) =>
          `${a.path}:${String(a.start_line)} ${a.annotation_level ?? "notice"}: ${a.message ?? ""}`,
      );
    return [run.output.title ?? "", run.output.summary ?? "", run.output.text ?? "", ...lines]
      .filter(Boolean)
      .join("\n");
  }

  /** Whether the base branch's latest completed run of the same workflow fails this job the same way. */
  async #redOnBase(runId: number, name: string, fingerprint: string): Promise<boolean> {
    const { github, repo, baseBranch } = this.#o;
    const run = WorkflowRun.parse(
      (await github.rest.actions.getWorkflowRun({ ...repo, run_id: runId })).data,
    );
    const listed = await github.rest.actions.listWorkflowRuns({
      ...repo,
      workflow_id: run.workflow_id,
      branch: baseBranch,
      status: "completed",
      per_page: 1,
    });
    const latest = z.object({ workflow_runs: z.array(WorkflowRun) }).parse(listed.data)
      .workflow_runs[0];
    if (!latest || latest.conclusion === "success" || latest.head_sha === run.head_sha)
      return false;
    const jobs = await github.rest.actions.listJobsForWorkflowRun({
      ...repo,
      run_id: latest.id,
      filter: "latest",
      per_page: 100,
    });
    const job = z
      .object({ jobs: z.array(WorkflowJob) })
      .parse(jobs.data)
      .jobs.find((j) => j.name === name && j.conclusion === "failure");
    if (!job) return false;
    const log = await this.#jobLog(job.id);
    return log !== null && excerptLog(log).fingerprint === fingerprint;
  }
}
