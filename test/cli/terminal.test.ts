// The CLI under a real pseudo-terminal (util-linux `script`) and with stdout piped. A terminal
// that reports 0 columns (`script`, coding-agent shells, some CI wrappers) once sent the spinner
// into a redraw loop: `run` never ended and wrote ~110 MB a minute.
import { execFile, execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { createSampleRepo, DEMO_DIR } from "../../src/cli/sample-repo.ts";
import { cliEnvironment, runCli } from "../fakes/cli-env.ts";

const exec = promisify(execFile);
const MAIN = new URL("../../src/cli/main.ts", import.meta.url).pathname;
const CASSETTE = join(DEMO_DIR, "cassette.yaml");
const hasScript = (() => {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

async function demoRepo(): Promise<string> {
  const repo = await createSampleRepo("tty-");
  await writeFile(join(repo, "tasks.yaml"), await readFile(join(DEMO_DIR, "tasks.yaml"), "utf8"));
  return repo;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const runArgs = (repo: string) =>
  [
    process.execPath,
    MAIN,
    "run",
    "--working-dir",
    repo,
    "--provider",
    "replay",
    "--cassette",
    CASSETTE,
  ]
    .map(quote)
    .join(" ");

/** `run` in a pseudo-terminal of `cols` columns; what the terminal showed, and the exit code. */
async function inTerminal(
  cols: number,
  repo: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; shown: string }> {
  try {
    const { stdout } = await exec(
      "script",
      ["-qec", `stty cols ${String(cols)} rows 40; ${runArgs(repo)}`, "/dev/null"],
      { env: { ...cliEnvironment(), ...env }, timeout: 90_000, maxBuffer: 4 * 1024 * 1024 },
    );
    return { code: 0, shown: stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string };
    return { code: typeof e.code === "number" ? e.code : -1, shown: e.stdout ?? "" };
  }
}

describe("the CLI in the user's terminal", () => {
  it.skipIf(!hasScript)(
    "a terminal of 0 columns: `run` ends, prints a line per change, and stops",
    async () => {
      const { code, shown } = await inTerminal(0, await demoRepo());
      expect(code).toBe(0);
      expect(shown.length).toBeLessThan(20_000);
      expect(shown).toMatch(/TEXT-001: .*done/);
    },
  );

  it.skipIf(!hasScript)(
    "a terminal of 120 columns: the spinner shows each task and ends; NO_COLOR leaves no colour",
    async () => {
      const { code, shown } = await inTerminal(120, await demoRepo(), { NO_COLOR: "1" });
      expect(code).toBe(0);
      expect(shown.length).toBeLessThan(200_000);
      expect(shown).toContain("TEXT-001: done");
      // The spinner redraws its line (cursor and erase codes), but no SGR colour code is sent.
      // eslint-disable-next-line no-control-regex
      expect(shown).toMatch(/\u001b\[(\?25[lh]|\d*[GK])/);
      // eslint-disable-next-line no-control-regex
      expect(shown).not.toMatch(/\u001b\[[\d;]*m/);
    },
  );

  it("stdout piped: progress goes to stderr a line per change, the report to stdout, no escape codes", async () => {
    const repo = await demoRepo();
    const { stdout, stderr } = await runCli(
      ["run", "--working-dir", repo, "--provider", "replay", "--cassette", CASSETTE],
      { NO_COLOR: "1" },
    );
    expect(stderr).toMatch(/^TEXT-001: planning$/m);
    expect(stderr).not.toMatch(/\*\*|`/);
    expect(stderr.split("\n").filter(Boolean).length).toBeGreaterThan(3);
    expect(stdout).toContain("TEXT-001: done");
    // eslint-disable-next-line no-control-regex
    expect(`${stdout}${stderr}`).not.toMatch(/\u001b\[/);
  });

  it("--version prints the package's version; a usage error on a subcommand exits 2", async () => {
    const pkg = JSON.parse(
      await readFile(new URL("../../package.json", import.meta.url), "utf8"),
    ) as { version: string };
    expect((await runCli(["--version"])).stdout.trim()).toBe(pkg.version);
    expect((await runCli(["run", "--bogus"])).code).toBe(2);
  });
});
