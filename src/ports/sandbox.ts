/** Why a sandboxed command was stopped before it ended on its own. */
export type SandboxStop = "time" | "output" | "processes";

/** The bounds of one command. Every backend enforces them; `none` only time, output, processes. */
export interface SandboxLimits {
  /** Wall time; the command's whole process tree is killed at the end of it. */
  readonly timeoutMs: number;
  /** CPU seconds the command may use (RLIMIT_CPU per process). */
  readonly cpuSeconds: number;
  /** Address space per process, in bytes (RLIMIT_AS). */
  readonly memoryBytes: number;
  /** Processes alive at once; more and the whole tree is killed. */
  readonly processes: number;
  /** Output (stdout and stderr together) kept; more and the command is killed. */
  readonly outputBytes: number;
  /** Largest file the command may write, in bytes (RLIMIT_FSIZE). */
  readonly fileBytes: number;
}

export interface SandboxResult {
  /** The command's exit code; 128 + signal when a signal ended it. */
  readonly exitCode: number;
  /** stdout and stderr interleaved as they came, at most `outputBytes`, decoded as UTF-8. */
  readonly output: string;
  /** Whether the output was cut at `outputBytes`. */
  readonly truncated: boolean;
  /** Set when a bound stopped the command: it was killed with everything it started. */
  readonly stopped: SandboxStop | null;
}

/**
 * Runs a command line of a repository (untrusted) in a work tree. The `bwrap` backend holds the
 * guarantees `test/contract/sandbox.test.ts` tries to break: none of the caller's environment or
 * files outside the tree and a private temp folder is readable, no network unless granted,
 * writes only in the tree and that temp folder, the bounds above, nothing left running after.
 * `none` runs the command as the user (an explicit opt-in on the CLI) and holds only the bounds.
 */
export interface Sandbox {
  /** Which backend runs the commands, for reports and the prompts. */
  readonly backend: "bwrap" | "none";
  /** Runs `command` with `sh -c` in `tree`. Never throws for a failing or stopped command. */
  run(options: SandboxRun): Promise<SandboxResult>;
}

/** One command for a sandbox to run. */
export interface SandboxRun {
  readonly command: string;
  /** Absolute path of the work tree; the command's working directory. */
  readonly tree: string;
  /** Whether the command may reach the network (setup); off for the model's own commands. */
  readonly network: boolean;
  readonly limits: SandboxLimits;
}

/** Bounds for a model's command: short, small, no network. */
export const DEFAULT_LIMITS: SandboxLimits = {
  timeoutMs: 120_000,
  cpuSeconds: 120,
  memoryBytes: 4 * 1024 ** 3,
  processes: 256,
  outputBytes: 1_000_000,
  fileBytes: 256 * 1024 ** 2,
};
