import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

/** What the watcher says after each line of output: go on, or stop the process (a cap). */
export type Verdict = "continue" | "time_limit" | "turn_limit" | "budget_limit";

export interface ProcessResult {
  readonly exitCode: number | null;
  /** Why we stopped it, if we did. */
  readonly stoppedBy: Exclude<Verdict, "continue"> | null;
  /** The last bytes of stderr, for errors. */
  readonly stderr: string;
}

const STDERR_KEEP = 8_000;

/**
 * Runs a CLI with exactly the environment given (nothing inherited), in `cwd`, feeding each
 * stdout line to `onLine`. Our caps are enforced here, around the process: past `timeoutMs`, or
 * when `onLine` says so, the whole process group is killed.
 */
export async function runWatched(options: {
  readonly binary: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly onLine: (line: string) => Verdict;
}): Promise<ProcessResult> {
  const child = spawn(options.binary, [...options.args], {
    cwd: options.cwd,
    env: { ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let stoppedBy: ProcessResult["stoppedBy"] = null;
  const stop = (why: Exclude<Verdict, "continue">) => {
    if (stoppedBy) return;
    stoppedBy = why;
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      child.kill("SIGKILL");
    }
  };
  const timer = setTimeout(() => stop("time_limit"), options.timeoutMs);
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEEP);
  });
  const lines = createInterface({ input: child.stdout });
  lines.on("line", (line) => {
    if (stoppedBy) return;
    const verdict = options.onLine(line);
    if (verdict !== "continue") stop(verdict);
  });
  try {
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (code) => resolve(code));
    });
    return { exitCode, stoppedBy, stderr };
  } finally {
    clearTimeout(timer);
    lines.close();
  }
}
