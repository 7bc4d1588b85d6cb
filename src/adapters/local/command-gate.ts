import { spawn } from "node:child_process";
import type { GateCheck, GateResult } from "../../core/plan/gate-result.ts";
import { excerptLog } from "../../core/ci/excerpt.ts";
import { trimOutput } from "../../core/text/trim-output.ts";
import type { QualityGate } from "../../ports/quality-gate.ts";
import { userEnvironment } from "./user-environment.ts";

export interface GateCommand {
  readonly name: string;
  /** Shell command, run in the task's work tree. */
  readonly run: string;
  readonly timeoutMs: number;
  /** ZERO-WARNINGS: output lines matching this fail the check even with exit code 0. */
  readonly warningPattern?: string | undefined;
}

const MAX_CAPTURE = 2_000_000;

/**
 * The local quality gate: the configured commands in the work tree, each with a timeout that
 * kills its whole process group, in the user's own environment (their PATH and `node`, not ours)
 * without credentials.
 */
export class CommandGate implements QualityGate {
  readonly #commands: readonly GateCommand[];
  readonly #directoryOf: (task: string) => string;
  readonly #now: () => number;
  readonly #env: Record<string, string>;

  constructor(options: {
    readonly commands: readonly GateCommand[];
    readonly directoryOf: (task: string) => string;
    readonly now: () => number;
    /** The environment we were started with (`process.env`); the commands get the user's part. */
    readonly environment?: Readonly<Record<string, string | undefined>>;
  }) {
    this.#commands = options.commands;
    this.#directoryOf = options.directoryOf;
    this.#now = options.now;
    this.#env = {
      ...userEnvironment(options.environment ?? process.env),
      CI: "true",
      FORCE_COLOR: "0",
    };
  }

  async run(options: { task: string }): Promise<GateResult> {
    const checks: GateCheck[] = [];
    for (const command of this.#commands)
      checks.push(await this.#check(command, this.#directoryOf(options.task)));
    return { passed: checks.every((c) => c.passed), checks, local: true };
  }

  async #check(command: GateCommand, cwd: string): Promise<GateCheck> {
    const started = this.#now();
    const { code, output, timedOut } = await runCommand(
      command.run,
      cwd,
      command.timeoutMs,
      this.#env,
    );
    const durationMs = Math.max(0, this.#now() - started);
    const warnings = command.warningPattern
      ? output
          .split("\n")
          .filter((line) => new RegExp(command.warningPattern ?? "", "i").test(line))
      : [];
    const reason = timedOut
      ? `timed out after ${command.timeoutMs} ms`
      : code !== 0
        ? `exit code ${code}`
        : warnings.length > 0
          ? `ZERO-WARNINGS: ${warnings.length} warning line(s)`
          : null;
    if (reason === null)
      return { name: command.name, passed: true, reason, durationMs, output: "" };
    const excerpt = excerptLog(output);
    return {
      name: command.name,
      passed: false,
      reason,
      durationMs,
      output: trimOutput(output),
      // The same failure after a fix is recognised here too (the fixer is not sent again).
      fingerprint: excerpt.fingerprint,
      ...(excerpt.refs.length > 0 ? { failures: [...excerpt.refs] } : {}),
      tools: [...excerpt.tools],
    };
  }
}

export function runCommand(
  command: string,
  cwd: string,
  timeoutMs: number,
  env: Record<string, string>,
): Promise<{ code: number; output: string; timedOut: boolean }> {
  return new Promise((done) => {
    const child = spawn(command, {
      cwd,
      shell: true,
      detached: true,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let timedOut = false;
    const collect = (chunk: Buffer): void => {
      if (output.length < MAX_CAPTURE) output += chunk.toString("utf8");
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      done({ code: 127, output: `${output}\n${error.message}`, timedOut });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      killGroup(child.pid);
      done({ code: code ?? 1, output, timedOut });
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // The group has already exited.
  }
}
