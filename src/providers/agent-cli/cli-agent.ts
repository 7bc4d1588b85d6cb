import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProviderError, type ProviderErrorKind } from "../../core/errors.ts";
import { ZERO_USAGE, type Usage } from "../../core/cost/usage.ts";
import type { Effort } from "../../core/vocabulary/effort.ts";
import type { AgentResult, AgentRun, CodingAgent } from "../../ports/coding-agent.ts";
import { runWatched } from "./process.ts";

/** What a CLI has reported so far, read from its output lines. */
export interface AgentProgress {
  turns: number;
  usage: Usage;
  /** Whether the CLI reported usage at all. */
  reported: boolean;
  summary: string;
  reportedCostUsd?: number;
  /** An error the CLI reported in its output. */
  error?: { kind: ProviderErrorKind; message: string };
}

/** How one CLI is asked and read: its arguments, and a reader for its output lines. */
export interface CliSpec {
  readonly provider: string;
  /** Variables the CLI itself needs (its own key); nothing else of ours reaches it. */
  readonly passEnv: readonly string[];
  /**
   * The CLI's own flags for an effort level (`AgentRun.effort`); absent: the CLI has none, and
   * runs at its own default (`withAgents` gives its models no levels, so none is asked).
   */
  readonly effort?: (level: Effort) => string[];
  /** Its arguments, the effort's flags (`effortArgs`) among them. */
  args(run: AgentRun): string[];
  /** Reads one stdout line into the progress. */
  read(line: string, progress: AgentProgress): void;
}

/** Variables every CLI may see; PATH finds the binary and what it runs. */
const BASE_ENV = ["PATH", "LANG", "LC_ALL", "TERM", "TZ"];

/**
 * A coding agent CLI run non-interactively in the task's work tree. It gets a private HOME and
 * only its own key; our caps (time, turns, dollars) are enforced around the process from what
 * its output reports, never left to its own flags. Usage it does not report is estimated and
 * marked so.
 */
export class CliAgent implements CodingAgent {
  readonly provider: string;
  readonly #spec: CliSpec;
  readonly #binary: string;
  readonly #env: NodeJS.ProcessEnv;
  /** A home directory the CLI may use (its login), instead of a fresh empty one. */
  readonly #home: string | undefined;

  constructor(options: {
    spec: CliSpec;
    binary: string;
    env: NodeJS.ProcessEnv;
    home?: string | undefined;
  }) {
    this.#spec = options.spec;
    this.provider = options.spec.provider;
    this.#binary = options.binary;
    this.#env = options.env;
    this.#home = options.home;
  }

  async run(run: AgentRun): Promise<AgentResult> {
    const home = this.#home ?? (await mkdtemp(join(tmpdir(), `${this.provider}-home-`)));
    const env: Record<string, string> = { HOME: home };
    for (const name of [...BASE_ENV, ...this.#spec.passEnv]) {
      const value = this.#env[name];
      if (value !== undefined) env[name] = value;
    }
    const progress: AgentProgress = { turns: 0, usage: ZERO_USAGE, reported: false, summary: "" };
    try {
      const result = await runWatched({
        binary: this.#binary,
        args: this.#spec.args(run),
        cwd: run.directory,
        env,
        timeoutMs: run.timeoutMs,
        onLine: (line) => {
          this.#spec.read(line, progress);
          if (progress.turns > run.maxTurns) return "turn_limit";
          if (run.budgetUsd !== null && run.costOf(progress.usage) > run.budgetUsd)
            return "budget_limit";
          return "continue";
        },
      });
      if (progress.error)
        throw new ProviderError({
          provider: this.provider,
          kind: progress.error.kind,
          message: progress.error.message.slice(0, 500),
        });
      if (!result.stoppedBy && result.exitCode !== 0)
        throw new ProviderError({
          provider: this.provider,
          kind: "server",
          message: `exited with ${result.exitCode}: ${result.stderr.trim().slice(-500) || "(no output)"}`,
        });
      return {
        summary: progress.summary,
        usage: progress.reported ? progress.usage : estimate(run),
        ...(progress.reportedCostUsd !== undefined
          ? { reportedCostUsd: progress.reportedCostUsd }
          : {}),
        ...(run.effort && this.#spec.effort ? { effort: run.effort } : {}),
        estimated: !progress.reported,
        turns: progress.turns,
        stop: result.stoppedBy ?? "end",
      };
    } catch (error) {
      if (error instanceof ProviderError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      throw new ProviderError({
        provider: this.provider,
        kind: code === "ENOENT" ? "not_found" : "server",
        message:
          code === "ENOENT"
            ? `${this.#binary} is not installed or not on PATH`
            : error instanceof Error
              ? error.message
              : String(error),
        cause: error,
      });
    } finally {
      if (!this.#home) await rm(home, { recursive: true, force: true });
    }
  }
}

/** Usage of a run whose CLI reported none: its prompt once, and a modest answer, marked estimated. */
function estimate(run: AgentRun): Usage {
  const input = Math.ceil((run.instructions.length + run.prompt.length) / 3);
  return { input: { noCache: input, cacheRead: 0, cacheWrite: 0 }, output: 2_000 };
}

/** The flags a spec gives for the run's effort; none without one, or for a CLI that has no flag. */
export function effortArgs(spec: Pick<CliSpec, "effort">, run: AgentRun): string[] {
  return run.effort && spec.effort ? spec.effort(run.effort) : [];
}

/** Parses a JSON line, or gives null for anything else (progress bars, plain text). */
export function jsonLine(line: string): Record<string, unknown> | null {
  const text = line.trim();
  if (!text.startsWith("{")) return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function num(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** A CLI's error text as one of our kinds. */
export function errorKind(message: string): ProviderErrorKind {
  if (/api key|unauthori[sz]ed|401|log ?in|authenticat/i.test(message)) return "auth";
  if (/credit balance|insufficient_quota|quota exceeded|billing/i.test(message)) return "quota";
  if (/rate limit|429|too many requests/i.test(message)) return "rate_limit";
  if (/overloaded|529|503/i.test(message)) return "overloaded";
  return "server";
}
