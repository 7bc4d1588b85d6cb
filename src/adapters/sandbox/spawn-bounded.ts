import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { constants } from "node:os";
import type { SandboxLimits, SandboxResult, SandboxStop } from "../../ports/sandbox.ts";

/** How often the process count is read: a fork bomb is stopped within about this much. */
const WATCH_MS = 25;

/**
 * Spawns `file args` in its own process group and holds the bounds the kernel does not hold for
 * us: wall time, output size and (for root, whom RLIMIT_NPROC does not bind) the number of
 * processes, read from /proc. Any bound kills the group; `extraProcesses` are the launcher's own.
 */
export function spawnBounded(options: {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly limits: SandboxLimits;
  readonly extraProcesses: number;
}): Promise<SandboxResult> {
  const { limits } = options;
  return new Promise((done) => {
    const child = spawn(options.file, [...options.args], {
      cwd: options.cwd,
      env: { ...options.env },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    let stopped: SandboxStop | null = null;
    let finished = false;
    const stop = (why: SandboxStop): void => {
      stopped ??= why;
      killGroup(child.pid);
    };
    const collect = (chunk: Buffer): void => {
      const room = limits.outputBytes - size;
      if (room > 0) chunks.push(chunk.subarray(0, room));
      size += chunk.length;
      if (size > limits.outputBytes) {
        truncated = true;
        stop("output");
      }
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const timer = setTimeout(() => stop("time"), limits.timeoutMs);
    const watch = setInterval(() => {
      if (child.pid !== undefined && exceeds(child.pid, limits.processes + options.extraProcesses))
        stop("processes");
    }, WATCH_MS);
    const end = (exitCode: number): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearInterval(watch);
      killGroup(child.pid);
      const result = {
        exitCode,
        output: Buffer.concat(chunks).toString("utf8"),
        truncated,
        stopped,
      };
      // SIGKILL lands when each process is next scheduled: on a busy machine that is later.
      void groupGone(child.pid).then(() => done(result));
    };
    child.on("error", (error) => {
      chunks.push(Buffer.from(`\n${error.message}\n`));
      end(127);
    });
    // `close` waits for every holder of the pipes; a process left behind is killed with the group.
    child.on("exit", () => killGroup(child.pid));
    child.on("close", (code, signal) => end(code ?? 128 + (signal ? signalNumber(signal) : 9)));
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

/** How long a killed group may take to be gone before the result is given anyway. */
const GONE_WAIT_MS = 5_000;

/** Settles once no process of group `pgid` is alive (zombies do not count), or after `GONE_WAIT_MS`. */
async function groupGone(pgid: number | undefined): Promise<void> {
  if (pgid === undefined) return;
  const until = Date.now() + GONE_WAIT_MS;
  while (Date.now() < until && aliveIn(pgid)) {
    killGroup(pgid);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Whether a process of group `pgid` is alive: /proc/<id>/stat's state and process group. */
function aliveIn(pgid: number): boolean {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const [state, , group] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(group) === pgid && state !== "Z" && state !== "X") return true;
    } catch {
      // Gone meanwhile.
    }
  }
  return false;
}

/** Whether `pid` has more than `max` descendants; stops reading as soon as it has. */
function exceeds(pid: number, max: number): boolean {
  let count = 0;
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.pop() ?? 0;
    for (const id of childrenOf(next)) {
      count += 1;
      if (count > max) return true;
      queue.push(id);
    }
  }
  return false;
}

function childrenOf(pid: number): number[] {
  try {
    const ids: number[] = [];
    for (const task of readdirSync(`/proc/${pid}/task`))
      for (const id of readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").split(" "))
        if (id.trim() !== "") ids.push(Number(id));
    return ids;
  } catch {
    return []; // The process has ended.
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  return constants.signals[signal];
}

/**
 * `prlimit` in front of a command: the kernel's per-process bounds. RLIMIT_NPROC counts a whole
 * user's processes outside a user namespace (`none` leaves it out) and is looser than the
 * watchdog's exact count, so that the watchdog names the stop; it is the backstop for a bomb
 * faster than the watchdog.
 */
export function prlimitArgs(limits: SandboxLimits, options: { readonly nproc: boolean }): string[] {
  return [
    `--cpu=${limits.cpuSeconds}`,
    `--as=${limits.memoryBytes}`,
    ...(options.nproc ? [`--nproc=${2 * limits.processes + 16}`] : []),
    `--fsize=${limits.fileBytes}`,
    "--core=0",
    "--",
  ];
}
