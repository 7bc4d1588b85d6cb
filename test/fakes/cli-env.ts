import { execFile } from "node:child_process";
import { promisify } from "node:util";
/**
 * The environment a test gives a CLI it spawns: the PATH and HOME it needs, and the temporary
 * and cache folders under the run's temp root (`test/setup/temp-dir.ts`), so that work trees
 * (kept in the cache folder) are removed with it.
 */
export function cliEnvironment(): NodeJS.ProcessEnv {
  return {
    PATH: process.env["PATH"] ?? "",
    HOME: process.env["HOME"] ?? "",
    TMPDIR: process.env["TMPDIR"] ?? "",
    XDG_CACHE_HOME: process.env["XDG_CACHE_HOME"] ?? "",
  };
}

const MAIN = new URL("../../src/cli/main.ts", import.meta.url).pathname;
const exec = promisify(execFile);

/** The real CLI, run in a child process as a user runs it: its exit code and what it printed. */
export async function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [MAIN, ...args], {
      env: { ...cliEnvironment(), ...env },
      timeout: 90_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    return {
      code: typeof e.code === "number" ? e.code : -1,
      stdout: e.stdout ?? "",
      stderr: e.stderr ?? "",
    };
  }
}
