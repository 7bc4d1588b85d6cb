import type { GateCheck, GateResult } from "../../core/plan/gate-result.ts";
import { trimOutput } from "../../core/text/trim-output.ts";
import type { GatePending, QualityGate } from "../../ports/quality-gate.ts";
import { z } from "zod";
import type { GitHub, RepoRef } from "./client.ts";
import { Annotation, CheckRun } from "./responses.ts";
import { CHECK_NAME } from "./code-host.ts";

export interface ChecksGateOptions {
  readonly github: GitHub;
  readonly repo: RepoRef;
  /** Check names that must pass; empty: every check run on the commit. */
  readonly required: readonly string[];
  /** App slugs whose check runs count (e.g. github-actions). */
  readonly trustedApps: readonly string[];
  /** Whether `neutral` counts as passing; `success` always does, `skipped` never. */
  readonly neutralPasses?: boolean;
}

/**
 * The repository's own CI as the quality gate. The verdict is read from the check runs of the
 * current head only; `skipped` is not success. Until every counted check has completed the gate
 * is pending, and a `check_suite` or `workflow_run` webhook (or the sweep) asks again.
 */
export class ChecksGate implements QualityGate {
  readonly #o: ChecksGateOptions;

  constructor(options: ChecksGateOptions) {
    this.#o = options;
  }

  async run(options: { commit: string }): Promise<GateResult | GatePending> {
    return (await this.resultFor(options.commit)) ?? { pending: true };
  }

  /** The verdict on a commit, or null while checks are missing or still running. */
  async resultFor(commit: string): Promise<GateResult | null> {
    const listed = await this.#o.github.paginate(this.#o.github.rest.checks.listForRef, {
      ...this.#o.repo,
      ref: commit,
      per_page: 100,
      filter: "latest",
    });
    const runs = z.array(CheckRun).parse(listed);
    const counted = runs.filter(
      (r) =>
        r.name !== CHECK_NAME &&
        r.head_sha === commit &&
        this.#o.trustedApps.includes(r.app?.slug ?? ""),
    );
    const wanted =
      this.#o.required.length > 0 ? this.#o.required : [...new Set(counted.map((r) => r.name))];
    if (wanted.length === 0) return null;
    const checks: GateCheck[] = [];
    for (const name of wanted) {
      const run = counted.find((r) => r.name === name);
      if (!run || run.status !== "completed") return null;
      const passed =
        run.conclusion === "success" ||
        (this.#o.neutralPasses === true && run.conclusion === "neutral");
      const started = run.started_at ? Date.parse(run.started_at) : 0;
      const ended = run.completed_at ? Date.parse(run.completed_at) : started;
      checks.push({
        name,
        passed,
        reason: passed ? null : `conclusion ${run.conclusion ?? "unknown"}`,
        durationMs: Math.max(0, ended - started),
        output: passed ? "" : await this.#failureText(run.id, run.output),
      });
    }
    return { passed: checks.every((c) => c.passed), checks };
  }

  async #failureText(
    id: number,
    output: {
      title?: string | null | undefined;
      summary?: string | null | undefined;
      text?: string | null | undefined;
    },
  ): Promise<string> {
    const annotations = await this.#o.github.rest.checks.listAnnotations({
      ...this.#o.repo,
      check_run_id: id,
      per_page: 50,
    });
    const lines = z
      .array(Annotation)
      .parse(annotations.data)
      .map(
        (a) =>
          `${a.path}:${String(a.start_line)} ${a.annotation_level ?? "notice"}: ${a.message ?? ""}`,
      );
    return trimOutput(
      [output.title ?? "", output.summary ?? "", output.text ?? "", ...lines]
        .filter(Boolean)
        .join("\n"),
    );
  }
}
